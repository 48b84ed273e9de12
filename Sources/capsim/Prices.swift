import ArgumentParser
import Billing
import Foundation

/// `capsim prices import`: the AWS Price List bulk files to capsim's catalog files.
struct Prices: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Import prices from AWS Price List bulk files.",
    subcommands: [PricesImport.self]
  )
}

struct PricesImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Write a price catalog and Savings Plans rates from AWS Price List bulk files.",
    discussion: """
      Reads the EC2 offer file of each region (offers/v1.0/aws/AmazonEC2/current/<region>/index.json) \
      and, optionally, the Compute and EC2 Instance Savings Plans files of those regions, and \
      writes DIR/ec2-prices.csv (the catalog schema), DIR/savings-plan-rates.csv and \
      DIR/README.md (which files, versions and publication dates). Kept: Linux/UNIX, shared \
      tenancy, no pre-installed software, capacity status Used. See docs/prices.md.

      Examples:
        capsim prices import --ec2 us-east-1.json --savings-plans compute-us-east-1.json --output prices/
        capsim commitments usage.csv --prices prices/ec2-prices.csv --savings-plan-rates prices/savings-plan-rates.csv
      """
  )

  @Option(help: "An EC2 offer file (JSON); repeat for several regions.")
  var ec2: [String] = []

  @Option(help: "A Savings Plans price list file (JSON; Compute or EC2 Instance); repeatable.")
  var savingsPlans: [String] = []

  @Option(help: "Keep only this region (e.g. us-east-1); repeatable. Default: every region in the files.")
  var region: [String] = []

  @Option(help: "Directory to write the catalog files to (created if missing).")
  var output: String

  func validate() throws {
    guard !ec2.isEmpty else { throw ValidationError("--ec2: expected at least one EC2 offer file, found none") }
  }

  func run() throws {
    try reportingErrors {
      let regions = Set(region)
      let offers = try ec2.map { try EC2OfferFile.load(path: $0, regions: regions) }
      let plans = try savingsPlans.map { try SavingsPlansOfferFile.load(path: $0, regions: regions) }
      let imported = try PriceListImport(ec2: offers, savingsPlans: plans)
      let found = Set(imported.entries.map(\.region))
      if let missing = region.first(where: { !found.contains($0) }) {
        throw ValidationError(
          "--region \(missing): expected prices for it in the EC2 files, found only \(found.sorted().joined(separator: ", "))")
      }
      let directory = URL(fileURLWithPath: output, isDirectory: true)
      do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try imported.pricesCSV().write(to: directory.appendingPathComponent("ec2-prices.csv"), atomically: true, encoding: .utf8)
        try imported.savingsPlanRatesCSV().write(
          to: directory.appendingPathComponent("savings-plan-rates.csv"), atomically: true, encoding: .utf8)
        try imported.provenance().write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
      } catch {
        throw ValidationError("--output \(output): cannot write the catalog files: \(error.localizedDescription)")
      }
      var byRegion: [String: Int] = [:]
      for entry in imported.entries { byRegion[entry.region, default: 0] += 1 }
      print("Wrote \(output)/ec2-prices.csv (\(imported.entries.count) rows: "
        + byRegion.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
      print("Wrote \(output)/savings-plan-rates.csv (\(imported.discounts.count) discounts)")
      print("Wrote \(output)/README.md")
      for source in imported.sources {
        print("  \(source.fileName): \(source.kind), version \(source.version), published \(source.publicationDate)")
      }
      for note in imported.notes { print("  note: \(note)") }
    }
  }
}
