import ArgumentParser
import Foundation
import Reporting

/// `capsim merge PART...`: the parts of a sharded run, combined into the unsharded output.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the part files of a sharded run into the output the unsharded run writes.",
    discussion: """
      The parts must come from the same command, scenario content (SHA-256 of the scenario \
      and its data files), shard count and capsim version, with every shard 1...n exactly \
      once; anything else is an error naming the part. Sweep parts take the sweep's --format, \
      --output and --summary options; the bytes equal those of the unsharded sweep.

      Example:
        for i in 1 2 3 4; do capsim sweep scenarios/seoul-sweep.yaml --shard $i/4 --output part-$i; done
        capsim merge part-1 part-2 part-3 part-4 --output points.csv
      """)

  @Argument(help: "The part files (any order).")
  var parts: [String]

  @OptionGroup var table: SweepTableOptions

  func run() throws {
    try reportingErrors {
      guard !parts.isEmpty else { throw ValidationError("give the part files to merge") }
      var files: [(path: String, text: String)] = []
      for path in parts {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the part file '\(path)'") }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("'\(path)' is not UTF-8 text") }
        files.append((path, text))
      }
      let read = try ShardMerge.read(files)
      switch read[0].header.command {
      case "sweep":
        let (schema, rows) = try ShardMerge.sweepRows(read)
        let writer = try SweepTableWriter(options: table, schema: schema)
        for row in rows { try writer.add(row) }
        try writer.finish()
      default:
        throw ValidationError("\(read[0].file): parts of 'capsim \(read[0].header.command)' cannot be merged by this capsim")
      }
    }
  }
}
