// swift-tools-version: 6.1
// capsim benchmarks: a nested package on ../ so that benchmark dependencies stay out of
// the library. One executable target per suite, its sources in <Suite>/; see README.md.
import PackageDescription

/// A suite: an executable target whose sources are in `<name>/`, run by BenchmarkPlugin.
func suite(_ name: String, dependencies: [Target.Dependency]) -> Target {
  .executableTarget(
    name: name,
    dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies,
    path: name,
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
  )
}

let package = Package(
  name: "capsim-benchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    // Named explicitly: a path dependency is otherwise named after its folder, which is
    // whatever the clone was called.
    .package(name: "capsim", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
  ],
  targets: [
    // The hold model on EventQueue; the swift-collections Heap cases are the baseline
    // that Simulation's hand-written heap was chosen against.
    suite(
      "EventQueue",
      dependencies: [
        .product(name: "Simulation", package: "capsim"),
        .product(name: "HeapModule", package: "swift-collections"),
      ]),
    // One policy variant over one year at 1-minute ticks (the fluid fleet model).
    suite(
      "FleetSimulation",
      dependencies: [
        .product(name: "AutoScaling", package: "capsim"),
        .product(name: "Simulation", package: "capsim"),
      ]),
    // Requests fidelity over 28 days (about 22 million requests, one case per load
    // balancer), and a year in queueing fidelity beside the fluid model on the same input.
    suite(
      "RequestFidelity",
      dependencies: [
        .product(name: "AutoScaling", package: "capsim"),
        .product(name: "Simulation", package: "capsim"),
      ]),
    // Issue 5: a 200-variant policy search over 28 days at 1-minute ticks on 2 workers.
    suite(
      "PolicySearch",
      dependencies: [
        .product(name: "Advisor", package: "capsim"),
        .product(name: "AutoScaling", package: "capsim"),
        .product(name: "Simulation", package: "capsim"),
        .product(name: "Workload", package: "capsim"),
      ]),
    // Issue 14, item 5: a 1,000-point sweep of one year of 1-minute ticks (scenarios/
    // seoul-sweep-year.yaml), every point simulated and billed, on 1 and 2 threads.
    suite(
      "SweepThroughput",
      dependencies: [
        .product(name: "Scenario", package: "capsim"),
        .product(name: "Results", package: "capsim"),
      ]),
    // The hourly billing engine over one year (50 types, 10 commitments) and its FOCUS rows.
    // (Named BillingEngine: a target may not share the name of capsim's Billing module.)
    suite("BillingEngine", dependencies: [.product(name: "Billing", package: "capsim")]),
    // Issue 4: 1,000 hourly series x 8,760 points, batch fit + 14-day forecast; and one
    // real trace fitted alone. (Named ForecastFitting: a target may not share the name of
    // capsim's Forecasting module.)
    suite(
      "ForecastFitting",
      dependencies: [
        "ForecastSupport",
        .product(name: "Forecasting", package: "capsim"),
        .product(name: "Workload", package: "capsim"),
      ]),
    // The benchmark's synthetic series and the measured work, shared by the suite and by
    // forecast-batch.
    .target(
      name: "ForecastSupport",
      dependencies: [.product(name: "Forecasting", package: "capsim")],
      path: "ForecastSupport"),
    // The capsim side of peers/compare-statsforecast.sh: writes the series as CSV, or fits
    // and forecasts a CSV of series and prints the seconds.
    .executableTarget(name: "forecast-batch", dependencies: ["ForecastSupport"], path: "ForecastBatch"),
    // Issue 5: the commitment portfolio solve (5 families x 8,760 h) and the capsim side of
    // peers/compare-commit-lp.sh (HiGHS on the same input).
    suite("CommitmentPortfolio", dependencies: ["CommitmentSupport"]),
    .target(
      name: "CommitmentSupport",
      dependencies: [.product(name: "Advisor", package: "capsim")],
      path: "CommitmentSupport"),
    .executableTarget(name: "commit-lp-solve", dependencies: ["CommitmentSupport"], path: "CommitLPSolve"),
  ]
)
