// swift-tools-version: 6.1
// capsim: an autoscaling simulator and capacity advisor for EC2 fleets.
// Module map and dependency direction: ../shared/DESIGN.md (copied in docs/DESIGN.md).
import PackageDescription

let package = Package(
  name: "capsim",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "capsim", targets: ["capsim"]),
    .library(name: "Simulation", targets: ["Simulation"]),
    .library(name: "CivilCalendar", targets: ["CivilCalendar"]),
    .library(name: "Parallel", targets: ["Parallel"]),
    .library(name: "Workload", targets: ["Workload"]),
    .library(name: "Forecasting", targets: ["Forecasting"]),
    .library(name: "AutoScaling", targets: ["AutoScaling"]),
    .library(name: "Billing", targets: ["Billing"]),
    .library(name: "Scenario", targets: ["Scenario"]),
    .library(name: "Results", targets: ["Results"]),
    .library(name: "Reporting", targets: ["Reporting"]),
    .library(name: "Advisor", targets: ["Advisor"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
  ],
  targets: [
    .systemLibrary(
      name: "COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    .target(name: "Simulation"),
    .target(name: "CivilCalendar"),
    .target(name: "Parallel"),
    .target(name: "Workload", dependencies: ["CivilCalendar"]),
    .target(name: "Forecasting", dependencies: ["COpenBLAS", "CivilCalendar", "Workload", "Parallel"]),
    .target(
      name: "AutoScaling",
      dependencies: [
        "Simulation", "CivilCalendar", "Forecasting", .product(name: "Histogram", package: "hdrhistogram-swift"),
        // The warm pool's queues (FleetSimulator+WarmPool.swift).
        .product(name: "DequeModule", package: "swift-collections"),
      ]
    ),
    .target(
      name: "Billing",
      dependencies: ["CivilCalendar", .product(name: "CSV", package: "CSV.swift")],
      resources: [
        .copy("Resources/ec2-prices.csv"),
        .copy("Resources/spot-interruption.csv"),
        .copy("Resources/PRICING-SOURCES.md"),
      ]
    ),
    .target(
      name: "Scenario",
      dependencies: [
        "Simulation", "CivilCalendar", "Workload", "AutoScaling", "Billing", "Forecasting", "Advisor", "Results", "Parallel",
        "Yams",
      ]
    ),
    .target(name: "Advisor", dependencies: ["Billing", "AutoScaling", "Forecasting", "Simulation", "Parallel"]),
    .target(name: "Results", dependencies: ["AutoScaling", "Billing", "Advisor"]),
    .target(name: "Reporting", dependencies: ["Results", "Billing", "Advisor", "AutoScaling", "Yams"]),
    .executableTarget(
      name: "capsim",
      dependencies: [
        "Scenario", "Reporting", "Billing", "Forecasting", "Advisor", "AutoScaling", "Workload", "Simulation", "Results",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "COpenBLASTests", dependencies: ["COpenBLAS"]),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
    .testTarget(name: "CivilCalendarTests", dependencies: ["CivilCalendar"]),
    .testTarget(name: "ParallelTests", dependencies: ["Parallel"]),
    .testTarget(name: "WorkloadTests", dependencies: ["Workload"]),
    .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "Workload"]),
    .testTarget(
      name: "AutoScalingTests",
      dependencies: ["AutoScaling", "Simulation"]
    ),
    .testTarget(
      name: "BillingTests",
      dependencies: ["Billing", .product(name: "Numerics", package: "swift-numerics")],
      // AWS Price List files in the documented shape, read by path (#filePath).
      exclude: ["Fixtures"]
    ),
    .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Results", "Advisor", "AutoScaling"]),
    // Scenario only for fixtures: recommendations and exports of the shipped scenarios.
    .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Results", "Scenario", "Advisor", "AutoScaling", "Yams"]),
    .testTarget(
      name: "AdvisorTests", dependencies: ["Advisor", "AutoScaling", "Billing", "Forecasting", "Simulation", "Workload"],
      exclude: ["Fixtures"]),
    .testTarget(name: "CapsimEndToEndTests", dependencies: ["capsim"]),
  ]
)
