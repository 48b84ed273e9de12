// swift-tools-version: 6.1
// capsim fuzz targets: a nested package on ../ (like Benchmarks/), so that neither the
// main build nor `swift test` ever builds it. One libFuzzer executable per parser; run
// them with ./run.sh (it builds with `--sanitize fuzzer --sanitize address`). See
// ../docs/fuzzing.md.
import PackageDescription

/// A fuzz target: an executable whose `main.swift` defines `LLVMFuzzerTestOneInput`.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
  .executableTarget(
    name: name,
    dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "capsim") }
  )
}

let package = Package(
  name: "capsim-fuzz",
  platforms: [.macOS(.v14)],
  dependencies: [
    // Named explicitly: a path dependency is otherwise named after its folder.
    .package(name: "capsim", path: "..")
  ],
  targets: [
    // Turns libFuzzer's bytes into the text, data and option choices the parsers take.
    .target(name: "FuzzSupport", dependencies: [.product(name: "Workload", package: "capsim")]),
    // Scenario YAML: ScenarioDefinition.parse(yaml:file:baseDirectory:) (Yams + decoder).
    fuzzTarget("FuzzScenario", ["Scenario"]),
    // Demand CSV: DemandSeries.parseCSV with fuzzed load options.
    fuzzTarget("FuzzDemandCSV", ["Workload"]),
    // CloudWatch JSON: DemandSeries.parseCloudWatchJSON (get-metric-data / -statistics).
    fuzzTarget("FuzzCloudWatch", ["Workload"]),
    // Usage exports: EligibleUsageReader (hourly CSV, FOCUS 1.x, CUR 2.0; CSV.swift).
    fuzzTarget("FuzzUsage", ["Billing"]),
    // Price catalog and Spot Advisor CSVs: PriceCatalog(pricesCSV:spotAdvisorCSV:).
    fuzzTarget("FuzzPriceCatalog", ["Billing"]),
    // Savings Plans rates CSV: SavingsPlanRates(csv:fileName:).
    fuzzTarget("FuzzSavingsPlanRates", ["Billing"]),
    // AWS Price List files: EC2OfferFile / SavingsPlansOfferFile, then PriceListImport's
    // CSVs read back with the catalog loaders.
    fuzzTarget("FuzzPriceList", ["Billing"]),
    // Cron expressions: CronExpression(_:) and, when valid, a week of firing dates.
    fuzzTarget("FuzzCron", ["AutoScaling"]),
    // Durations: SimTime.parse (`90s`, `1.5h`, `2w`).
    fuzzTarget("FuzzDuration", ["Simulation"]),
    // capsim import: ImportJSON and the mapping, on NUL-separated describe-* documents.
    fuzzTarget("FuzzImportJSON", ["Scenario"]),
    // capsim merge's part readers: ShardMerge (sweep, run and recommend parts), the run
    // merge and the reports a merge writes, on NUL-separated part files.
    fuzzTarget("FuzzShardParts", ["Reporting", "Results", "Advisor"]),
  ]
)
