import Advisor
import Foundation
import FuzzSupport
import Reporting
import Results

/// What `capsim merge` does with part files, on fuzzed bytes: the input is up to 8 part
/// files separated by NUL bytes (`part-1`, `part-2`, ...). They are read and checked as a
/// set (`ShardMerge.read`), then, by the header's command:
/// - `sweep`: the rows (`ShardMerge.sweepRows`) rendered as the merge renders them: the CSV
///   header and lines, the JSON lines and the summary;
/// - `run`: the records merged into the unsharded result (`ShardMerge.runResult`) and
///   rendered as the table, the JSON and the HTML page;
/// - `recommend`: the records (`RecommendShardRun`) and the ledger the merge hands to the
///   recommender (which needs the scenario, so it is not run here).
/// A part set that cannot be merged must be a `ShardPartError`, never a trap. Checked
/// beyond "no trap": an error names a part given (or none, for a problem of the set), and
/// every sweep JSON line of an accepted set is valid JSON (Foundation's reader).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShardParts(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = FuzzInput(data, size)
  let files = input.bytes.split(separator: 0, maxSplits: 7, omittingEmptySubsequences: false).enumerated().map {
    (path: "part-\($0.offset + 1)", text: String(decoding: $0.element, as: UTF8.self))
  }
  do throws(ShardPartError) {
    let parts = try ShardMerge.read(files)
    switch parts[0].header.command {
    case "sweep":
      let (schema, rows) = try ShardMerge.sweepRows(parts)
      var csv = SweepTable.csvHeader(schema)
      let columns = SweepTable.columns(schema)
      for row in rows {
        csv += SweepTable.csvLine(row)
        let line = SweepTable.jsonLine(row, schema: schema)
        // An axis value is written as the scenario has it, so a JSON number too large for a
        // Double (1e400) is the unsharded sweep's text as well; such a line is not checked.
        let hasHugeNumber = zip(columns, row).contains { column, cell in
          column.kind == .number && cell.map { Double($0)?.isFinite != true } == true
        }
        guard hasHugeNumber || (try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil else {
          preconditionFailure("an accepted sweep row renders as invalid JSON: \(line)")
        }
      }
      _ = SweepSummary.text(rows, schema: schema)
    case "run":
      let result = try ShardMerge.runResult(parts)
      _ = ComparisonReport.table(result)
      _ = ComparisonReport.json(result)
      _ = RunReport.html(result)
    case "recommend":
      let runs = try ShardMerge.records(parts, command: "recommend", as: RecommendShardRun.self, item: \.run)
      _ = PolicyRunLedger(Dictionary(runs.map { ($0.key, $0.evaluation) }, uniquingKeysWith: { first, _ in first }))
    default:
      break
    }
  } catch {
    precondition(error.file.isEmpty || files.contains { $0.path == error.file }, "an error names no given part: \(error)")
  }
  return 0
}
