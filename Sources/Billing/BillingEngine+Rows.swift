import Foundation

extension BillingEngine {
  /// Prebuilt FOCUS rows (text fields filled once) that each hour copies and fills with
  /// times, quantities and costs.
  struct RowTemplates {
    var onDemand: [CostLineItem?]
    var covered: [CostLineItem?]
    var spot: [CostLineItem?]
    var unused: [CostLineItem]
    var recurring: [CostLineItem]
    var upfront: [CostLineItem]
    /// SkuPriceId per (bucket, commitment), made on first use.
    var coveredSkuPriceIds: [String?]
    var coveredDescriptions: [(reservedInstance: String, savingsPlan: String)?]

    init(engine: BillingEngine) {
      let epoch = Date(timeIntervalSince1970: 0)
      func blank(_ description: String) -> CostLineItem {
        CostLineItem(
          hour: 0, billingPeriodStart: epoch, billingPeriodEnd: epoch, chargePeriodStart: epoch,
          chargePeriodEnd: epoch, chargeCategory: .usage, chargeFrequency: .usageBased,
          chargeDescription: description, pricingCategory: nil, billedCost: 0, effectiveCost: 0,
          listCost: 0, listUnitPrice: nil, pricingQuantity: nil, pricingUnit: nil,
          consumedQuantity: nil, consumedUnit: nil, commitmentDiscountId: nil,
          commitmentDiscountType: nil, commitmentDiscountStatus: nil,
          commitmentDiscountQuantity: nil, commitmentDiscountUnit: nil, resourceId: "",
          resourceName: "", resourceType: "", regionId: nil, availabilityZone: nil, skuId: "",
          skuPriceId: "", tagsJSON: "{}", service: nil, instanceType: nil)
      }
      onDemand = []
      covered = []
      spot = []
      coveredDescriptions = []
      for bucket in engine.buckets {
        let service = engine.services[bucket.service]
        var usage = blank("")
        usage.listUnitPrice = bucket.onDemandUSDPerHour
        usage.pricingUnit = "Hours"
        usage.consumedUnit = "Hours"
        usage.resourceId = service.name
        usage.resourceName = service.name
        usage.resourceType = "Instance"
        usage.regionId = bucket.key.region
        usage.availabilityZone = bucket.availabilityZone
        usage.tagsJSON = service.tagsJSON
        usage.service = service.name
        usage.instanceType = bucket.key.instanceType
        let type = bucket.key.instanceType
        if bucket.option == .spot {
          var row = usage
          row.chargeDescription = "\(type) Linux Spot usage"
          row.pricingCategory = .dynamic
          row.skuId = "SpotUsage:\(type)"
          row.skuPriceId = "\(bucket.key.region)/\(type)/Spot"
          spot.append(row)
          onDemand.append(nil)
          covered.append(nil)
          coveredDescriptions.append(nil)
        } else {
          var row = usage
          row.chargeDescription = "\(type) Linux on-demand usage"
          row.pricingCategory = .standard
          row.skuId = "BoxUsage:\(type)"
          row.skuPriceId = "\(bucket.key.region)/\(type)/OnDemand"
          onDemand.append(row)
          row.pricingCategory = .committed
          row.commitmentDiscountStatus = .used
          covered.append(row)
          coveredDescriptions.append(
            ("\(type) Linux usage covered by a Reserved Instance",
             "\(type) Linux usage covered by a Savings Plan"))
          spot.append(nil)
        }
      }
      unused = []
      recurring = []
      upfront = []
      for commitment in engine.commitments {
        let type = commitment.discountType
        var row = blank("Unused \(type.rawValue) \(commitment.id)")
        row.commitmentDiscountId = commitment.id
        row.commitmentDiscountType = type
        row.commitmentDiscountUnit = commitment.quantityUnit
        row.resourceId = commitment.id
        row.resourceName = commitment.summary
        row.resourceType = type.rawValue
        row.regionId = commitment.regionId
        row.skuId = commitment.isReservedInstance ? "ReservedInstance" : "SavingsPlan"
        row.skuPriceId = commitment.id
        var unusedRow = row
        unusedRow.pricingCategory = .committed
        unusedRow.commitmentDiscountStatus = .unused
        unusedRow.pricingUnit = commitment.quantityUnit
        unused.append(unusedRow)
        var fee = row
        fee.chargeCategory = .purchase
        fee.chargeFrequency = .recurring
        fee.chargeDescription = "\(type.rawValue) \(commitment.id) recurring fee"
        fee.pricingUnit = "Hours"
        recurring.append(fee)
        fee.chargeFrequency = .oneTime
        fee.chargeDescription = "\(type.rawValue) \(commitment.id) upfront fee"
        fee.pricingQuantity = 1
        fee.pricingUnit = "Purchase"
        upfront.append(fee)
      }
      coveredSkuPriceIds = .init(repeating: nil, count: engine.buckets.count * engine.commitments.count)
    }

    /// Appends hour `hour`'s rows: covered usage (commitment order), uncovered on-demand and
    /// Spot usage (bucket order), then per commitment its unused part and fees.
    mutating func appendRows(
      hour h: Int, start: Date, engine: BillingEngine, activeBuckets: [Int], hourSeconds: [Double],
      events: UnsafeBufferPointer<Event>, remaining: UnsafeBufferPointer<Double>,
      hourFraction: UnsafeBufferPointer<Double>, hourCapacity: UnsafeBufferPointer<Double>,
      hourUsed: UnsafeBufferPointer<Double>,
      to rows: inout [CostLineItem]
    ) {
      let secondsPerHour = HourlyAttribution.secondsPerHour
      let chargeStart = start.addingTimeInterval(Double(h) * secondsPerHour)
      let chargeEnd = chargeStart.addingTimeInterval(secondsPerHour)
      let month = UTCTime.monthBounds(containing: chargeStart)
      func stamp(_ row: inout CostLineItem) {
        row.hour = h
        row.chargePeriodStart = chargeStart
        row.chargePeriodEnd = chargeEnd
        row.billingPeriodStart = month.start
        row.billingPeriodEnd = month.end
      }
      let commitmentCount = engine.commitments.count
      for event in events {
        let b = Int(event.bucket)
        let c = Int(event.commitment)
        let commitment = engine.commitments[c]
        let bucket = engine.buckets[b]
        var row = covered[b]!
        stamp(&row)
        let hours = event.seconds / secondsPerHour
        row.chargeDescription =
          commitment.isReservedInstance
          ? coveredDescriptions[b]!.reservedInstance : coveredDescriptions[b]!.savingsPlan
        row.effectiveCost = event.units * commitment.effectiveUSDPerUnit
        row.listCost = hours * bucket.onDemandUSDPerHour
        row.pricingQuantity = hours
        row.consumedQuantity = hours
        row.commitmentDiscountId = commitment.id
        row.commitmentDiscountType = commitment.discountType
        row.commitmentDiscountQuantity = event.units * commitment.quantityPerUnit
        row.commitmentDiscountUnit = commitment.quantityUnit
        let index = b * commitmentCount + c
        if coveredSkuPriceIds[index] == nil {
          coveredSkuPriceIds[index] = "\(bucket.key.region)/\(bucket.key.instanceType)/\(commitment.id)"
        }
        row.skuPriceId = coveredSkuPriceIds[index]!
        rows.append(row)
      }
      for b in activeBuckets {
        let bucket = engine.buckets[b]
        if bucket.option == .spot {
          let s = hourSeconds[b]
          guard s > 0 else { continue }
          var row = spot[b]!
          stamp(&row)
          let hours = s / secondsPerHour
          row.billedCost = hours * bucket.spotUSDPerHour
          row.effectiveCost = row.billedCost
          row.listCost = hours * bucket.onDemandUSDPerHour
          row.pricingQuantity = hours
          row.consumedQuantity = hours
          rows.append(row)
        } else {
          let r = remaining[b]
          guard r > 0 else { continue }
          var row = onDemand[b]!
          stamp(&row)
          let hours = r / secondsPerHour
          row.billedCost = hours * bucket.onDemandUSDPerHour
          row.effectiveCost = row.billedCost
          row.listCost = row.billedCost
          row.pricingQuantity = hours
          row.consumedQuantity = hours
          rows.append(row)
        }
      }
      for c in 0..<commitmentCount where hourFraction[c] > 0 {
        let commitment = engine.commitments[c]
        var unusedUnits = hourCapacity[c] - hourUsed[c]
        if unusedUnits <= 1e-12 * hourCapacity[c] { unusedUnits = 0 }
        if unusedUnits > 0 {
          var row = unused[c]
          stamp(&row)
          row.effectiveCost = unusedUnits * commitment.effectiveUSDPerUnit
          row.pricingQuantity = unusedUnits * commitment.quantityPerUnit
          row.commitmentDiscountQuantity = row.pricingQuantity
          rows.append(row)
        }
        let fee = commitment.recurringUSDPerHour * hourFraction[c]
        if fee > 0 {
          var row = recurring[c]
          stamp(&row)
          row.billedCost = fee
          row.pricingQuantity = hourFraction[c]
          rows.append(row)
        }
        if commitment.purchaseHour == h, commitment.upfrontUSD > 0 {
          var row = upfront[c]
          stamp(&row)
          row.billedCost = commitment.upfrontUSD
          rows.append(row)
        }
      }
    }
  }
}
