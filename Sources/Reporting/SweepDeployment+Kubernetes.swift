import Foundation

/// Kubernetes: one YAML stream for `kubectl apply -f`, in this order:
/// 1. a ConfigMap `NAME-scenario` holding the scenario and its data files (unless the image
///    holds them: `--scenario-path`), mounted read-only at `/scenario` in their layout;
/// 2. a PersistentVolumeClaim `NAME-parts` (ReadWriteMany, 1 GiB) unless `--volume-claim`
///    names an existing one; mounted at `/parts`, the parts go to `/parts/NAME/`;
/// 3. the Indexed Job `NAME` (`completionMode: Indexed`, `completions: n`): pod `k` runs
///    shard `k+1` (`JOB_COMPLETION_INDEX + 1`), writing `part-(k+1).tmp` and renaming it, so
///    a part's final name only ever holds a whole part; `backoffLimitPerIndex` retries a
///    failed shard alone;
/// 4. the merge Job `NAME-merge`, created suspended (`suspend: true`): Kubernetes has no
///    dependency between Jobs, so the user resumes it once the sweep Job is complete
///    (`kubectl wait --for=condition=complete job/NAME` then `kubectl patch ... suspend:false`,
///    docs/sweeps.md). It writes `points.csv` (or `.jsonl`) and `summary.txt` beside the parts.
extension SweepDeployment {
  func kubernetesManifests() -> String {
    var documents: [JSONValue] = []
    if case .configMap(let files) = scenario { documents.append(configMap(files)) }
    if volumeClaim == nil { documents.append(persistentVolumeClaim) }
    documents.append(sweepJob)
    documents.append(mergeJob)
    let header = """
      # capsim sweep on Kubernetes: \(shards) shard\(shards == 1 ? "" : "s") of \(totalPoints) points, run '\(name)'.
      # kubectl apply -f THIS; kubectl wait --for=condition=complete --timeout=24h job/\(name);
      # kubectl patch job/\(name)-merge --type=merge -p '{"spec":{"suspend":false}}'; docs/sweeps.md has the rest.

      """
    return header + JSONValue.yamlStream(documents)
  }

  var claimName: String { volumeClaim ?? "\(name)-parts" }
  var partsDirectory: String { "\(Self.partsMountPath)/\(name)" }

  private var labels: JSONValue {
    .object([("app.kubernetes.io/name", .string("capsim")), ("app.kubernetes.io/instance", .string(name))])
  }

  private func metadata(_ objectName: String) -> JSONValue {
    .object([("name", .string(objectName)), ("labels", labels)])
  }

  /// ConfigMap keys allow only `-._a-zA-Z0-9`; a file's key is its relative path with every
  /// other character as `_`, made unique with `-2`, `-3`, ... (the volume's `items` map each
  /// key back to the file's real path).
  static func configMapKeys(_ files: [ScenarioFile]) -> [String] {
    var used: Set<String> = []
    return files.map { file in
      let base = String(
        String.UnicodeScalarView(
          file.relativePath.unicodeScalars.map {
            isLowerAlphanumeric($0) || ("A"..."Z").contains($0) || "-._".unicodeScalars.contains($0) ? $0 : "_"
          }
        ).prefix(240))
      var key = base
      var suffix = 2
      while used.contains(key) {
        key = "\(base)-\(suffix)"
        suffix += 1
      }
      used.insert(key)
      return key
    }
  }

  private func configMap(_ files: [ScenarioFile]) -> JSONValue {
    var text: [(String, JSONValue)] = []
    var binary: [(String, JSONValue)] = []
    for (key, file) in zip(Self.configMapKeys(files), files) {
      if let contents = String(data: file.contents, encoding: .utf8) {
        text.append((key, .string(contents)))
      } else {
        binary.append((key, .string(file.contents.base64EncodedString())))
      }
    }
    var members: [(String, JSONValue)] = [
      ("apiVersion", .string("v1")), ("kind", .string("ConfigMap")), ("metadata", metadata("\(name)-scenario")),
    ]
    if !text.isEmpty { members.append(("data", .object(text))) }
    if !binary.isEmpty { members.append(("binaryData", .object(binary))) }
    return .object(members)
  }

  private var persistentVolumeClaim: JSONValue {
    .object([
      ("apiVersion", .string("v1")), ("kind", .string("PersistentVolumeClaim")), ("metadata", metadata(claimName)),
      (
        "spec",
        .object([
          ("accessModes", .array([.string("ReadWriteMany")])),
          ("resources", .object([("requests", .object([("storage", .string("1Gi"))]))])),
        ])
      ),
    ])
  }

  /// The shard's script: the shard from the completion index, the part written under a
  /// temporary name and renamed when whole.
  var kubernetesShardScript: String {
    let directory = Self.shellQuoted(partsDirectory)
    return [
      "set -eu",
      "shard=$((JOB_COMPLETION_INDEX + 1))",
      "mkdir -p \(directory)",
      sweepCommand(output: "\(directory)/part-\"$shard\".tmp"),
      "mv \(directory)/part-\"$shard\".tmp \(directory)/part-\"$shard\"",
    ].joined(separator: "\n") + "\n"
  }

  var kubernetesMergeScript: String {
    (["set -eu", "dir=\(Self.shellQuoted(partsDirectory))"] + mergeCommand(parts: "$dir", output: "$dir"))
      .joined(separator: "\n") + "\n"
  }

  private func container(_ containerName: String, script: String, mountsScenario: Bool) -> JSONValue {
    var mounts: [JSONValue] = []
    if mountsScenario, case .configMap = scenario {
      mounts.append(.object([("name", .string("scenario")), ("mountPath", .string(Self.configMapMountPath)), ("readOnly", .bool(true))]))
    }
    mounts.append(.object([("name", .string("parts")), ("mountPath", .string(Self.partsMountPath))]))
    let memory = JSONValue.string("\(memoryMiB)Mi")
    return .object([
      ("name", .string(containerName)), ("image", .string(image)),
      ("command", .array([.string("/bin/sh"), .string("-c"), .string(script)])),
      (
        "resources",
        .object([
          ("requests", .object([("cpu", .string(String(vcpus))), ("memory", memory)])), ("limits", .object([("memory", memory)])),
        ])
      ),
      ("volumeMounts", .array(mounts)),
    ])
  }

  private func volumes(mountsScenario: Bool) -> JSONValue {
    var volumes: [JSONValue] = []
    if mountsScenario, case .configMap(let files) = scenario {
      let items = zip(Self.configMapKeys(files), files).map { key, file in
        JSONValue.object([("key", .string(key)), ("path", .string(file.relativePath))])
      }
      volumes.append(.object([("name", .string("scenario")), ("configMap", .object([("name", .string("\(name)-scenario")), ("items", .array(items))]))]))
    }
    volumes.append(.object([("name", .string("parts")), ("persistentVolumeClaim", .object([("claimName", .string(claimName))]))]))
    return .array(volumes)
  }

  /// A Job's pod template: the shared labels, one container running `script` (named
  /// `containerName`), and its volumes; only the sweep's shards mount the scenario.
  private func podTemplate(_ containerName: String, script: String, mountsScenario: Bool) -> JSONValue {
    .object([
      ("metadata", .object([("labels", labels)])),
      (
        "spec",
        .object([
          ("restartPolicy", .string("Never")),
          ("containers", .array([container(containerName, script: script, mountsScenario: mountsScenario)])),
          ("volumes", volumes(mountsScenario: mountsScenario)),
        ])
      ),
    ])
  }

  private var sweepJob: JSONValue {
    .object([
      ("apiVersion", .string("batch/v1")), ("kind", .string("Job")), ("metadata", metadata(name)),
      (
        "spec",
        .object([
          ("completionMode", .string("Indexed")), ("completions", .integer(shards)), ("parallelism", .integer(parallelism ?? shards)),
          ("backoffLimitPerIndex", .integer(retries)),
          ("template", podTemplate("shard", script: kubernetesShardScript, mountsScenario: true)),
        ])
      ),
    ])
  }

  private var mergeJob: JSONValue {
    .object([
      ("apiVersion", .string("batch/v1")), ("kind", .string("Job")), ("metadata", metadata("\(name)-merge")),
      (
        "spec",
        .object([
          ("suspend", .bool(true)), ("backoffLimit", .integer(retries)),
          ("template", podTemplate("merge", script: kubernetesMergeScript, mountsScenario: false)),
        ])
      ),
    ])
  }
}
