import Advisor

/// Commitments to buy, in hindsight: the advisor's exact portfolio planned on the simulated
/// window's hourly On-Demand usage of the run's headline fleet (all services together, or
/// the first variant) that the scenario's own commitments leave uncovered, with the
/// purchase options `capsim recommend` allows by default. No forecast: the saving reads "had
/// you held this portfolio over this window, you would have saved `savingUSD`". Written by
/// `Scenario` (`ScenarioRunner.windowPurchaseAdvice`) when asked; plain values.
public struct WindowPurchaseAdvice: Codable, Sendable, Equatable {
  /// Hours planned on (the window's, from its start).
  public var hours: Int
  /// The uncovered eligible usage at On-Demand rates over the window, USD.
  public var onDemandUSD: Double
  /// The same usage with the portfolio held over the window (its fees included), USD.
  public var withPurchaseUSD: Double
  /// What to buy, as `capsim commitments` lists it; empty when staying On-Demand is best.
  public var purchases: [CommitmentPurchase]
  /// Effective USD per hour of all commitments bought.
  public var hourlyCommitmentUSD: Double
  public var upfrontUSD: Double
  /// Covered On-Demand value ÷ all On-Demand value of the planned usage, percent.
  public var coveragePercent: Double
  /// Commitment used ÷ commitment bought, percent.
  public var utilizationPercent: Double
  /// The advisor's notes (owned commitments subtracted, offerings left out).
  public var notes: [String]

  /// What the portfolio would have saved over the window, USD (≤ 0: nothing to buy).
  public var savingUSD: Double { onDemandUSD - withPurchaseUSD }

  public init(
    hours: Int, onDemandUSD: Double, withPurchaseUSD: Double, purchases: [CommitmentPurchase],
    hourlyCommitmentUSD: Double, upfrontUSD: Double, coveragePercent: Double, utilizationPercent: Double,
    notes: [String]
  ) {
    self.hours = hours
    self.onDemandUSD = onDemandUSD
    self.withPurchaseUSD = withPurchaseUSD
    self.purchases = purchases
    self.hourlyCommitmentUSD = hourlyCommitmentUSD
    self.upfrontUSD = upfrontUSD
    self.coveragePercent = coveragePercent
    self.utilizationPercent = utilizationPercent
    self.notes = notes
  }
}
