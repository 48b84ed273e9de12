import Foundation

/// Writes ``CostLineItem``s as FOCUS 1.x CSV, in chunks: memory stays at about
/// `chunkBytes` plus one hour of rows however many rows are written.
///
/// ```swift
/// var writer = FOCUSCSVWriter(fileHandle: FileHandle.standardOutput)
/// let bill = try FleetBill(usage: usage, commitments: commitments, catalog: catalog,
///                          start: start, lineItems: &writer)   // header, rows, flush
/// ```
///
/// RFC 4180 quoting: a cell containing a comma, double quote, CR or LF is enclosed in
/// double quotes with its quotes doubled (the `Tags` JSON always is). Numbers are Swift's
/// shortest round-trip decimal; times `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds). Empty
/// cells are FOCUS nulls. Constant columns: `BillingCurrency` USD, `ProviderName`,
/// `PublisherName` and `InvoiceIssuerName` AWS, `ServiceName` Amazon Elastic Compute Cloud,
/// `ServiceCategory` Compute.
public struct FOCUSCSVWriter: LineItemSink {
  /// The header, in order.
  public static let columns = [
    "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd",
    "ChargeCategory", "ChargeFrequency", "ChargeDescription", "PricingCategory",
    "BilledCost", "EffectiveCost", "ListCost", "ListUnitPrice", "BillingCurrency",
    "PricingQuantity", "PricingUnit", "ConsumedQuantity", "ConsumedUnit",
    "CommitmentDiscountId", "CommitmentDiscountType", "CommitmentDiscountCategory",
    "CommitmentDiscountStatus", "CommitmentDiscountQuantity", "CommitmentDiscountUnit",
    "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceName", "ServiceCategory",
    "ResourceId", "ResourceName", "ResourceType", "RegionId", "AvailabilityZone",
    "SkuId", "SkuPriceId", "Tags",
  ]

  private let output: ([UInt8]) throws -> Void
  private let chunkBytes: Int
  private var buffer: [UInt8] = []
  private var didWriteHeader = false
  // Timestamps of the last hour seen: rows come grouped by hour.
  private var cachedChargeStart = Date.distantPast
  private var cachedTimes: [UInt8] = []

  /// Rows written so far.
  public private(set) var rowCount = 0
  /// Bytes handed to the output so far.
  public private(set) var writtenBytes = 0
  /// The most bytes held at once before a flush (about `chunkBytes` + one hour of rows).
  public private(set) var peakBufferedBytes = 0

  /// Writes to `output` whenever `chunkBytes` (>= 1) have accumulated, and at `finish()`.
  public init(chunkBytes: Int = 1 << 20, output: @escaping ([UInt8]) throws -> Void) {
    precondition(chunkBytes >= 1, "chunkBytes must be >= 1, got \(chunkBytes)")
    self.chunkBytes = chunkBytes
    self.output = output
    buffer.reserveCapacity(min(chunkBytes, 1 << 22) + 4_096)
  }

  /// Writes to a file handle (a file, a pipe, standard output).
  public init(fileHandle: FileHandle, chunkBytes: Int = 1 << 20) {
    self.init(chunkBytes: chunkBytes) { bytes in
      try fileHandle.write(contentsOf: bytes)
    }
  }

  public mutating func consume(hourRows rows: [CostLineItem]) throws {
    if !didWriteHeader {
      append(Self.columns.joined(separator: ","))
      buffer.append(0x0A)
      didWriteHeader = true
    }
    for index in rows.indices { encode(rows[index]) }
    rowCount += rows.count
    peakBufferedBytes = max(peakBufferedBytes, buffer.count)
    if buffer.count >= chunkBytes { try flush() }
  }

  /// Writes the header if no row came, then whatever is buffered.
  public mutating func finish() throws {
    if !didWriteHeader {
      append(Self.columns.joined(separator: ","))
      buffer.append(0x0A)
      didWriteHeader = true
    }
    try flush()
  }

  private mutating func flush() throws {
    guard !buffer.isEmpty else { return }
    try output(buffer)
    writtenBytes += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }

  // MARK: Encoding

  private static let comma: UInt8 = 0x2C
  private static let quote: UInt8 = 0x22

  private mutating func encode(_ row: borrowing CostLineItem) {
    if row.chargePeriodStart != cachedChargeStart {
      cachedChargeStart = row.chargePeriodStart
      let times = [
        row.billingPeriodStart, row.billingPeriodEnd, row.chargePeriodStart, row.chargePeriodEnd,
      ].map(UTCTime.iso8601).joined(separator: ",")
      cachedTimes = Array(times.utf8)
    }
    buffer.append(contentsOf: cachedTimes)
    field(row.chargeCategory.rawValue)
    field(row.chargeFrequency.rawValue)
    field(row.chargeDescription)
    field(row.pricingCategory?.rawValue)
    number(row.billedCost)
    number(row.effectiveCost)
    number(row.listCost)
    number(row.listUnitPrice)
    field("USD")
    number(row.pricingQuantity)
    field(row.pricingUnit)
    number(row.consumedQuantity)
    field(row.consumedUnit)
    field(row.commitmentDiscountId)
    field(row.commitmentDiscountType?.rawValue)
    field(row.commitmentDiscountType?.category)
    field(row.commitmentDiscountStatus?.rawValue)
    number(row.commitmentDiscountQuantity)
    field(row.commitmentDiscountUnit)
    buffer.append(contentsOf: Self.constantCells)
    field(row.resourceId)
    field(row.resourceName)
    field(row.resourceType)
    field(row.regionId)
    field(row.availabilityZone)
    field(row.skuId)
    field(row.skuPriceId)
    field(row.tagsJSON)
    buffer.append(0x0A)
  }

  private mutating func append(_ text: String) {
    buffer.append(contentsOf: text.utf8)
  }

  /// A comma, then the cell, quoted when it must be.
  private mutating func field(_ text: String?) {
    buffer.append(Self.comma)
    guard let text else { return }
    Self.appendCSVCell(text, to: &buffer)
  }

  private mutating func number(_ value: Double?) {
    buffer.append(Self.comma)
    guard let value else { return }
    // "-0.0" would read oddly in a bill.
    append(value == 0 ? "0" : value.description)
  }

  /// Appends `text` as one CSV cell (RFC 4180).
  static func appendCSVCell(_ text: String, to buffer: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
      guard needsQuoting(bytes) else {
        buffer.append(contentsOf: bytes)
        return
      }
      buffer.append(quote)
      for byte in bytes {
        buffer.append(byte)
        if byte == quote { buffer.append(quote) }
      }
      buffer.append(quote)
    }
  }

  /// True when `bytes` hold a comma, double quote, CR or LF. Eight bytes at a time: a byte
  /// of `word ^ pattern` is zero exactly where `word` has the pattern's byte, and
  /// `(x - 0x01…01) & ~x & 0x80…80` is non-zero exactly when `x` has a zero byte.
  static func needsQuoting(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
      let x = word ^ (ones &* UInt64(byte))
      return (x &- ones) & ~x & highs != 0
    }
    var index = 0
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while index + 8 <= bytes.count {
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if hasByte(word, comma) || hasByte(word, quote) || hasByte(word, 0x0A) || hasByte(word, 0x0D) {
          return true
        }
        index += 8
      }
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == comma || byte == quote || byte == 0x0A || byte == 0x0D { return true }
      index += 1
    }
    return false
  }

  /// The five constant cells from `ProviderName` to `ServiceCategory`, with their commas.
  private static let constantCells = Array(",AWS,AWS,AWS,Amazon Elastic Compute Cloud,Compute".utf8)
}

enum TagsJSON {
  /// A JSON object with keys sorted; strings escaped per RFC 8259.
  static func encode(_ tags: [String: String]) -> String {
    var text = "{"
    for (index, key) in tags.keys.sorted().enumerated() {
      if index > 0 { text += "," }
      text += string(key) + ":" + string(tags[key]!)
    }
    return text + "}"
  }

  static func string(_ value: String) -> String {
    var text = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    return text + "\""
  }
}
