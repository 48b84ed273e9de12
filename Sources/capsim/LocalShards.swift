import ArgumentParser
import Foundation
import Reporting

/// `--processes N`: the run's n shards as n local processes of this same binary, each
/// writing its part to a private directory, then merged here exactly as `capsim merge`
/// merges them. It is the one-machine form of the sharded runs the Kubernetes, Batch, Step
/// Functions and Ray launchers start elsewhere: each process has its own heap and crash
/// domain, so a sweep of many points never holds more than a shard's state in one process.
/// The output equals the unsharded run's, byte for byte, for any n.
enum LocalShards {
  /// The most processes one command starts.
  static let maximumProcesses = 256

  /// Runs `arguments` (a subcommand and its options, without `--shard`, `--output` and
  /// `--processes`) as `count` shards at once, and returns each part file's path and text,
  /// in shard order. `progress` is called with the points written so far across the parts
  /// (each part line after the header is one point) while they run. A shard that fails is
  /// an error carrying its own message; the directory is removed in every case.
  static func run(
    arguments: [String], count: Int, progress: ((Int) -> Void)? = nil
  ) throws -> [(path: String, text: String)] {
    guard (1...maximumProcesses).contains(count) else {
      throw ValidationError("--processes: expected 1 to \(maximumProcesses), found \(count)")
    }
    let executable = try currentExecutable()
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("capsim-shards-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
      throw ValidationError("cannot create a directory for the parts under \(directory.deletingLastPathComponent().path): \(error.localizedDescription)")
    }
    defer { try? FileManager.default.removeItem(at: directory) }

    var children: [(process: Process, part: URL, log: URL)] = []
    defer { for child in children where child.process.isRunning { child.process.terminate() } }
    for index in 1...count {
      let part = directory.appendingPathComponent("part-\(index)")
      let log = directory.appendingPathComponent("stderr-\(index)")
      guard FileManager.default.createFile(atPath: log.path, contents: nil), let logHandle = FileHandle(forWritingAtPath: log.path) else {
        throw ValidationError("cannot create '\(log.path)'")
      }
      let process = Process()
      process.executableURL = executable
      process.arguments = arguments + ["--shard", "\(index)/\(count)", "--output", part.path]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = logHandle
      do { try process.run() } catch {
        throw ValidationError("cannot start '\(executable.path)' for shard \(index)/\(count): \(error.localizedDescription)")
      }
      try? logHandle.close()
      children.append((process, part, log))
    }

    while children.contains(where: { $0.process.isRunning }) {
      if let progress { progress(children.reduce(0) { $0 + max(0, lineCount(of: $1.part) - 1) }) }
      Thread.sleep(forTimeInterval: 0.2)
    }
    for child in children { child.process.waitUntilExit() }

    var parts: [(path: String, text: String)] = []
    for (offset, child) in children.enumerated() {
      let shard = "\(offset + 1)/\(count)"
      guard child.process.terminationReason == .exit, child.process.terminationStatus == 0 else {
        let log = (try? String(contentsOf: child.log, encoding: .utf8)) ?? ""
        let said = log.split(separator: "\n").last.map { String($0).replacingOccurrences(of: "capsim: error: ", with: "") }
        let how = child.process.terminationReason == .exit ? "exit status \(child.process.terminationStatus)" : "signal \(child.process.terminationStatus)"
        throw ValidationError("shard \(shard) failed (\(how))" + (said.map { ": \($0)" } ?? ""))
      }
      guard let data = FileManager.default.contents(atPath: child.part.path), let text = String(data: data, encoding: .utf8) else {
        throw ValidationError("shard \(shard) wrote no readable part at '\(child.part.path)'")
      }
      // Parts are named by shard, not by the temporary path, in merge's messages.
      parts.append(("shard \(shard)", text))
    }
    return parts
  }

  /// This binary: `/proc/self/exe` on Linux (a relative argv[0] may not resolve from here).
  static func currentExecutable() throws -> URL {
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: target)
    }
    if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path) }
    throw ValidationError("--processes: cannot find this capsim binary to start its shards")
  }

  /// Newlines in the file so far (0 when it does not exist yet).
  static func lineCount(of url: URL) -> Int {
    guard let data = FileManager.default.contents(atPath: url.path) else { return 0 }
    return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
  }
}
