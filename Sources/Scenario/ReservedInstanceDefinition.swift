import Foundation

/// A Reserved Instance purchase (`commitments.reservedInstances[]`), for Linux/UNIX and
/// default tenancy.
///
/// A regional RI (`availabilityZone == nil`) is instance size flexible within its family:
/// an m5.xlarge RI (8 normalized units) covers two m5.large instance-hours (4 units each).
/// A zonal RI covers its exact instance type in its Availability Zone only.
public struct ReservedInstanceDefinition: Sendable, Equatable {
  public enum OfferingClass: String, Sendable, Equatable, CaseIterable {
    /// Highest discount; attributes fixed.
    case standard
    /// Exchangeable; smaller discount.
    case convertible
  }

  /// Unique across all commitments of the scenario.
  public var id: String
  /// e.g. "m5.xlarge".
  public var instanceType: String
  public var region: String
  /// nil = regional (size-flexible); set = zonal, an AZ of `region`.
  public var availabilityZone: String?
  /// Instances reserved, 1...100000.
  public var count: Int
  public var offeringClass: OfferingClass
  public var term: CommitmentsDefinition.Term
  public var payment: CommitmentsDefinition.Payment
  /// When the reservation starts; may be before the simulated window.
  public var start: Date
  /// When it ends: as written, else `start + term.durationSeconds`. After `start`, at most
  /// one term after it.
  public var end: Date
  /// Paid at purchase per reserved instance, USD, >= 0; nil = from the price catalog.
  /// `noUpfront`: 0 or nil; `partialUpfront`: set and > 0.
  public var upfrontUSD: Double?
  /// Recurring fee per reserved instance per hour of the term (owed whether used or not),
  /// USD, >= 0; nil = from the price catalog. `allUpfront`: 0 or nil; `partialUpfront`: set
  /// and > 0.
  public var hourlyUSD: Double?
  /// Where the RI's list item starts.
  public var location: SourceLocation

  public init(
    id: String, instanceType: String, region: String, availabilityZone: String? = nil, count: Int,
    offeringClass: OfferingClass, term: CommitmentsDefinition.Term, payment: CommitmentsDefinition.Payment, start: Date, end: Date,
    upfrontUSD: Double? = nil, hourlyUSD: Double? = nil, location: SourceLocation
  ) {
    self.id = id
    self.instanceType = instanceType
    self.region = region
    self.availabilityZone = availabilityZone
    self.count = count
    self.offeringClass = offeringClass
    self.term = term
    self.payment = payment
    self.start = start
    self.end = end
    self.upfrontUSD = upfrontUSD
    self.hourlyUSD = hourlyUSD
    self.location = location
  }

  /// A zonal RI: exact type, one Availability Zone, applied before regional RIs.
  public var isZonal: Bool { availabilityZone != nil }
}
