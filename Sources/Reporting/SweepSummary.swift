import Foundation
import Results

/// The end of a sweep: per scenario (one combination of the what-if axes' values: demand,
/// seed, ...), the Pareto front of cost against the first objective's metric, and the
/// cheapest point meeting each objective. Computed from the table's cells, so the sharded
/// and merged sweep prints the same summary as the single run.
public enum SweepSummary {
  /// The positions of `points` on the Pareto front of (cost, metric), both minimized: no
  /// other point is at most as costly and at most as bad with one of the two strictly
  /// better. Of identical points the first is kept. Ordered by cost.
  /// - Complexity: O(n log n).
  public static func paretoFront(_ points: [(cost: Double, metric: Double)]) -> [Int] {
    let order = points.indices.sorted {
      (points[$0].cost, points[$0].metric, $0) < (points[$1].cost, points[$1].metric, $1)
    }
    var front: [Int] = []
    var bestMetric = Double.infinity
    for index in order where points[index].metric < bestMetric {
      front.append(index)
      bestMetric = points[index].metric
    }
    return front
  }

  public static func text(_ rows: [SweepTable.Cells], schema: SweepSchema) -> String {
    let columns = SweepTable.columns(schema).map(\.name)
    func column(_ name: String) -> Int { columns.firstIndex(of: name)! }
    let costColumn = column("cost_usd")
    let metric = schema.objectives.first?.metric ?? .delayedPercent
    let metricColumn = column(metric.column)
    var whatIfColumns: [Int] = []
    var choiceColumns: [Int] = []
    for axis in schema.axes {
      for name in axis.columns { (axis.isWhatIf ? { whatIfColumns.append(column(name)) } : { choiceColumns.append(column(name)) })() }
    }

    // Scenarios in order of first appearance.
    var scenarioKeys: [[String?]] = []
    var members: [[Int]] = []
    for (index, row) in rows.enumerated() {
      let key = whatIfColumns.map { row[$0] }
      if let found = scenarioKeys.firstIndex(of: key) {
        members[found].append(index)
      } else {
        scenarioKeys.append(key)
        members.append([index])
      }
    }

    let what = schema.services.map { "services " + $0.map { "'\($0)'" }.joined(separator: ", ") } ?? "variant '\(schema.baseVariant)'"
    var out = "Sweep of '\(schema.scenarioName)', \(what): \(rows.count) point\(rows.count == 1 ? "" : "s"), "
      + "\(scenarioKeys.count) scenario\(scenarioKeys.count == 1 ? "" : "s")\n"
    out += "Pareto front: cost_usd against \(metric.column); then the cheapest point meeting each SLO.\n"
    for (key, indices) in zip(scenarioKeys, members) {
      let described = zip(whatIfColumns, key).map { "\(columns[$0])=\($1 ?? "")" }.joined(separator: " ")
      out += "\nscenario \(described.isEmpty ? "as written" : described) (\(indices.count) point\(indices.count == 1 ? "" : "s"))\n"
      let measured = indices.compactMap { index -> (row: Int, cost: Double, metric: Double)? in
        guard let cost = rows[index][costColumn].flatMap(Double.init), let value = rows[index][metricColumn].flatMap(Double.init)
        else { return nil }
        return (index, cost, value)
      }
      let front = paretoFront(measured.map { ($0.cost, $0.metric) }).map { measured[$0].row }
      out += "  Pareto front (\(front.count) point\(front.count == 1 ? "" : "s")):\n"
      let header = ["point"] + choiceColumns.map { columns[$0] } + ["cost_usd", metric.column]
      let body = front.map { row in
        [rows[row][0] ?? ""] + choiceColumns.map { rows[row][$0] ?? "" }
          + [money(rows[row][costColumn]), figure(rows[row][metricColumn])]
      }
      out += table([header] + body, indent: "    ")
      for objective in schema.objectives {
        let meets = column("meets_\(objective.name)")
        let candidates = indices.filter { rows[$0][meets] == "true" }
        let limit = "\(objective.metric.column) <= \(figure(SweepTable.number(objective.limit)))"
        guard
          let best = candidates.min(by: {
            (Double(rows[$0][costColumn] ?? "") ?? .infinity, $0) < (Double(rows[$1][costColumn] ?? "") ?? .infinity, $1)
          })
        else {
          out += "  cheapest meeting \(objective.name) (\(limit)): none of the \(indices.count) points\n"
          continue
        }
        let choices = choiceColumns.map { "\(columns[$0])=\(rows[best][$0] ?? "")" }.joined(separator: " ")
        out += "  cheapest meeting \(objective.name) (\(limit)): point \(rows[best][0] ?? "")"
          + (choices.isEmpty ? "" : " (\(choices))") + ", \(money(rows[best][costColumn])) USD\n"
      }
    }
    return out
  }

  static func money(_ cell: String?) -> String {
    guard let value = cell.flatMap(Double.init) else { return "" }
    return String(format: "%.2f", value)
  }

  static func figure(_ cell: String?) -> String {
    guard let value = cell.flatMap(Double.init) else { return "" }
    return String(format: "%.4g", value)
  }

  /// Left-aligned columns two spaces apart.
  static func table(_ rows: [[String]], indent: String) -> String {
    guard let first = rows.first else { return "" }
    let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      indent + row.enumerated().map { column, text in
        column == row.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ") + "\n"
    }.joined()
  }
}
