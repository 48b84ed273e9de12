import AutoScaling
import Foundation

/// Policy-search runs made elsewhere, by key: the shards of `capsim recommend --shard`
/// each simulate a slice of the ranking runs (`RecommendationPlanner.rankingSearches`),
/// and the merge hands them all to the planner here. A search takes a recorded run instead
/// of simulating it (`PolicySearchConfiguration.recordedRuns`), and simulates whatever is
/// not recorded (the adaptive stages: a widened space, request-level re-runs). The ledger
/// counts what was taken, so the merge can tell a part that did not belong (`untaken`).
///
/// Thread-safe: searches take runs from worker threads.
public final class PolicyRunLedger: @unchecked Sendable {
  /// One run of one search: which search (`PolicySearchConfiguration.searchName`), the
  /// fidelity, the variant (the current policies are the last index) and the series (0 is
  /// the history, k the (k-1)-th forecast path).
  public struct Key: Hashable, Codable, Sendable, CustomStringConvertible {
    public var search: String
    public var fidelity: Fidelity
    public var variant: Int
    public var series: Int

    public init(search: String, fidelity: Fidelity, variant: Int, series: Int) {
      self.search = search
      self.fidelity = fidelity
      self.variant = variant
      self.series = series
    }

    public var description: String { "\(search) \(fidelity.rawValue) variant \(variant) series \(series)" }
  }

  private let lock = NSLock()
  private var runs: [Key: PolicyRunEvaluation]
  private var taken = Set<Key>()

  public init(_ runs: [Key: PolicyRunEvaluation]) { self.runs = runs }

  /// The recorded run for `key`, or nil (simulate it).
  public func take(_ key: Key) -> PolicyRunEvaluation? {
    lock.lock()
    defer { lock.unlock() }
    guard let run = runs[key] else { return nil }
    taken.insert(key)
    return run
  }

  /// Keys recorded but never taken, sorted by their text: runs no search of this
  /// recommendation makes.
  public var untaken: [Key] {
    lock.lock()
    defer { lock.unlock() }
    return runs.keys.filter { !taken.contains($0) }.sorted { $0.description < $1.description }
  }

  public var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return runs.count
  }
}

/// The ranking pass of one policy search, set up but not run: `capsim recommend --shard`
/// simulates a slice of its runs, the merge's search takes them (`PolicyRunLedger`).
public struct RankingSearch: Sendable {
  /// The search's key in the ledger.
  public var name: String
  public var runs: PolicySearch.SearchRuns

  /// Run `job` (variant `job / series`, series `job % series`) as the key it is recorded under.
  public func key(ofRun job: Int) -> PolicyRunLedger.Key {
    PolicyRunLedger.Key(
      search: name, fidelity: runs.rankingFidelity, variant: job / runs.seriesCount, series: job % runs.seriesCount)
  }

  /// Simulates run `job` of the ranking pass.
  public func evaluate(_ job: Int) throws(AdvisorError) -> PolicyRunEvaluation {
    let key = key(ofRun: job)
    switch runs.evaluate(variant: key.variant, series: key.series, fidelity: key.fidelity) {
    case .success(let evaluation): return evaluation
    case .failure(let error): throw runs.failure(variant: key.variant, series: key.series, error)
    }
  }
}
