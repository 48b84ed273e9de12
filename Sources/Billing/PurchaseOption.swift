/// How an instance is paid for. Only `.onDemand` is billed so far; `.spot` is here so that
/// usage can carry it before Spot billing exists.
public enum PurchaseOption: String, Sendable, Hashable, CaseIterable {
  case onDemand = "on-demand"
  case spot
}
