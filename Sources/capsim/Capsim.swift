import ArgumentParser

@main
struct Capsim: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "capsim",
    abstract: "Autoscaling simulator and capacity advisor for EC2 fleets.",
    discussion: """
      capsim replays a demand curve (CSV, CloudWatch JSON or a synthetic food-delivery day) \
      against EC2 Auto Scaling policies and prices the fleet each one produces. A scenario \
      file names the demand, the fleet and the policy variants to compare; see \
      docs/scenario-format.md.

      Examples:
        capsim validate scenarios/seoul-food-delivery.yaml
        capsim run scenarios/seoul-food-delivery.yaml
        capsim run scenarios/nyc-taxi.yaml --format json --policy target-cpu-50
      """,
    version: "0.1.0",
    subcommands: [Validate.self, Run.self, Forecast.self, Export.self, Commitments.self, Recommend.self]
  )
}
