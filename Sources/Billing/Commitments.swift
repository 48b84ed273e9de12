/// The commitments an account owns or buys in a scenario; all services of the account share
/// them. Ids must be unique across both lists.
public struct Commitments: Sendable, Equatable {
  public var reservedInstances: [ReservedInstance]
  public var savingsPlans: [SavingsPlan]

  public init(reservedInstances: [ReservedInstance] = [], savingsPlans: [SavingsPlan] = []) {
    self.reservedInstances = reservedInstances
    self.savingsPlans = savingsPlans
  }

  public var isEmpty: Bool { reservedInstances.isEmpty && savingsPlans.isEmpty }
}
