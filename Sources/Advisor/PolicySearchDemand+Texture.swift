import Simulation

extension PolicySearchDemand {
  /// Hourly forecast paths spread over minutes with the average intra-hour shape are smoother
  /// than real demand, and a fleet scales on minute-level spikes: simulated on them, a policy
  /// uses fewer instances than it will. So each path hour gets the minute-by-minute texture of
  /// a historical hour at the same hour of day (drawn with a seeded generator, one draw per
  /// path hour): minute value = the path's hourly mean x that historical minute / its hour's
  /// mean. Hourly means (what the forecast model predicts) are unchanged.
  static func withHistoricalTexture(_ paths: [PolicySearchDemand], history: [Double], seed: UInt64) -> [PolicySearchDemand] {
    let days = history.count / 1_440
    guard days >= 1 else { return paths }
    var random = RandomStream(seed: seed).substream(named: "recommend/texture")
    return paths.map { path in
      var demand = path.demandPerMinute
      let offsetMinutes = Int(path.dayOffsetSeconds / 60)
      var start = 0
      while start < demand.count {
        let end = min(demand.count, start + 60)
        let mean = demand[start..<end].reduce(0, +) / Double(end - start)
        let minuteOfDay = (offsetMinutes + start) % 1_440
        let day = Int(random.nextUnitDouble() * Double(days)) % days
        let source = day * 1_440 + minuteOfDay
        if source + (end - start) <= history.count {
          let sourceMean = history[source..<(source + end - start)].reduce(0, +) / Double(end - start)
          if sourceMean > 0 {
            for m in start..<end { demand[m] = mean * history[source + m - start] / sourceMean }
          }
        }
        start = end
      }
      return PolicySearchDemand(demandPerMinute: demand, dayOffsetSeconds: path.dayOffsetSeconds, startSeconds: path.startSeconds)
    }
  }
}
