/// How a running instance is paid for at launch: on-demand (which commitments may then
/// cover) or Spot (priced at the Spot rate, never covered by a commitment).
public enum PurchaseOption: String, Sendable, Hashable, CaseIterable {
  case onDemand = "on-demand"
  case spot
}
