import Foundation

extension SweepDeployment {
  /// The largest ConfigMap payload written: Kubernetes stores at most 1 MiB per object, and
  /// the names and metadata need some of it.
  public static let maximumConfigMapBytes = 1_000_000

  /// Checks every value against what the engine accepts; the first problem is an error
  /// naming the option, what it takes and what it was given.
  public func validate() throws(SweepDeploymentError) {
    let engineFlag = "--emit \(engine.rawValue)"
    func fail(_ option: String, _ expected: String, _ found: String) -> SweepDeploymentError {
      SweepDeploymentError(option: option, expected: expected, found: found)
    }
    guard Self.isRunName(name) else {
      throw fail("--name", "1-40 of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit", quoted(name))
    }
    guard (1...maximumShards).contains(shards) else {
      let why = engine == .kubernetes ? "" : " (\(engine == .batch ? "an AWS Batch array job's largest size" : "the Step Functions limit capsim uses"))"
      throw fail("--shards", "1 to \(maximumShards) for \(engineFlag)\(why)", "\(shards)")
    }
    guard !image.isEmpty else {
      throw fail("--image", "the capsim image in your registry with \(engineFlag), such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/capsim:1.0", "none")
    }
    guard (1...255).contains(image.count), image.unicodeScalars.allSatisfy(Self.isImageCharacter) else {
      throw fail("--image", "an image reference such as registry.example.com/capsim:1.0 (1-255 of A-Z, a-z, 0-9, '.', '_', '-', '/', ':', '@')", quoted(image))
    }
    guard ["csv", "jsonl"].contains(format) else { throw fail("--format", "csv or jsonl", quoted(format)) }
    guard (1...1_024).contains(threadsPerShard) else { throw fail("--jobs", "1 to 1024", "\(threadsPerShard)") }
    guard (1...256).contains(vcpus) else { throw fail("--vcpus", "1 to 256", "\(vcpus)") }
    guard (128...1_048_576).contains(memoryMiB) else { throw fail("--memory-mib", "128 to 1048576 (1 TiB)", "\(memoryMiB)") }
    guard (0...9).contains(retries) else { throw fail("--retries", "0 to 9", "\(retries)") }
    if let parallelism {
      guard engine != .batch else {
        throw fail("--parallelism", "no value with --emit batch (the compute environment's maxvCpus limits how many shards run at once)", "\(parallelism)")
      }
      guard (1...shards).contains(parallelism) else { throw fail("--parallelism", "1 to the number of shards (\(shards))", "\(parallelism)") }
    }
    switch engine {
    case .kubernetes:
      for (option, value) in [("--parts", s3Prefix), ("--job-queue", jobQueue), ("--job-role-arn", jobRoleARN)] {
        if let value { throw fail(option, "no value with \(engineFlag) (it is for --emit batch and stepfunctions)", quoted(value)) }
      }
      if let volumeClaim, !Self.isDNSSubdomain(volumeClaim) {
        throw fail("--volume-claim", "a PersistentVolumeClaim name (1-253 of a-z, 0-9, '-', '.', starting and ending with a letter or digit)", quoted(volumeClaim))
      }
    case .batch, .stepFunctions:
      if let volumeClaim { throw fail("--volume-claim", "no value with \(engineFlag) (it is for --emit k8s)", quoted(volumeClaim)) }
      guard let s3Prefix else { throw fail("--parts", "an s3://bucket/prefix for the part files with \(engineFlag)", "none") }
      guard Self.isS3Prefix(s3Prefix) else {
        throw fail("--parts", "s3://BUCKET or s3://BUCKET/PREFIX (a bucket name of 3-63 of a-z, 0-9, '.', '-'; a prefix without control characters)", quoted(s3Prefix))
      }
      guard let jobQueue else { throw fail("--job-queue", "the AWS Batch job queue (name or ARN) with \(engineFlag)", "none") }
      guard (1...255).contains(jobQueue.count), jobQueue.unicodeScalars.allSatisfy(Self.isNameOrARNCharacter) else {
        throw fail("--job-queue", "a job queue name or ARN (1-255 of A-Z, a-z, 0-9, '_', '-', ':', '/', '.')", quoted(jobQueue))
      }
      if let jobRoleARN {
        guard jobRoleARN.hasPrefix("arn:"), jobRoleARN.contains(":role/"), jobRoleARN.count <= 2_048,
          jobRoleARN.unicodeScalars.allSatisfy({ Self.isNameOrARNCharacter($0) || "+=,@".unicodeScalars.contains($0) })
        else { throw fail("--job-role-arn", "an IAM role ARN such as arn:aws:iam::123456789012:role/capsim-sweep", quoted(jobRoleARN)) }
      }
      if case .configMap = scenario {
        throw fail("--scenario-path", "the scenario's path inside the image with \(engineFlag) (no ConfigMap there)", "none")
      }
    }
    switch scenario {
    case .image(let path):
      guard !path.isEmpty, !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
        throw fail("--scenario-path", "a path without control characters", quoted(path))
      }
    case .configMap(let files):
      guard !files.isEmpty else { throw fail("--scenario-path", "a scenario file for the ConfigMap", "none") }
      for file in files {
        let components = file.relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.relativePath.hasPrefix("/"), !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
          !file.relativePath.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
          throw fail(
            "--emit k8s", "data files inside the scenario's directory (a ConfigMap mounts them there), or --scenario-path "
              + "with an image that holds them", quoted(file.relativePath))
        }
      }
      let bytes = files.reduce(0) { $0 + $1.contents.count }
      guard bytes <= Self.maximumConfigMapBytes else {
        throw fail(
          "--emit k8s", "a scenario and data files of at most \(Self.maximumConfigMapBytes) bytes for the ConfigMap (Kubernetes "
            + "stores at most 1 MiB per object), or --scenario-path with an image that holds them", "\(bytes) bytes")
      }
    }
  }

  private func quoted(_ text: String) -> String { "'\(text)'" }

  static func isRunName(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars)
    guard (1...40).contains(scalars.count), let first = scalars.first, let last = scalars.last else { return false }
    return ("a"..."z").contains(first) && isLowerAlphanumeric(last)
      && scalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
  }

  static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }

  static func isImageCharacter(_ scalar: Unicode.Scalar) -> Bool {
    isLowerAlphanumeric(scalar) || ("A"..."Z").contains(scalar) || "._-/:@".unicodeScalars.contains(scalar)
  }

  static func isNameOrARNCharacter(_ scalar: Unicode.Scalar) -> Bool {
    isLowerAlphanumeric(scalar) || ("A"..."Z").contains(scalar) || "_-:/.".unicodeScalars.contains(scalar)
  }

  static func isDNSSubdomain(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars)
    guard (1...253).contains(scalars.count), let first = scalars.first, let last = scalars.last else { return false }
    return isLowerAlphanumeric(first) && isLowerAlphanumeric(last) && scalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" || $0 == "." }
  }

  static func isS3Prefix(_ uri: String) -> Bool {
    guard uri.hasPrefix("s3://"), !uri.hasSuffix("/") else { return false }
    let rest = uri.dropFirst("s3://".count)
    let bucket = rest.prefix { $0 != "/" }
    let key = rest.dropFirst(bucket.count)
    let bucketScalars = Array(bucket.unicodeScalars)
    guard (3...63).contains(bucketScalars.count), isLowerAlphanumeric(bucketScalars.first!), isLowerAlphanumeric(bucketScalars.last!),
      bucketScalars.allSatisfy({ isLowerAlphanumeric($0) || $0 == "-" || $0 == "." })
    else { return false }
    return key.isEmpty || (key.count > 1 && !key.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } && !key.contains("//"))
  }
}
