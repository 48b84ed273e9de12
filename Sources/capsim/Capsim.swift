import ArgumentParser
import Foundation

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
    subcommands: [
      Validate.self, Run.self, Forecast.self, Export.self, Import.self, Commitments.self, Recommend.self, Prices.self,
      Sweep.self, Merge.self,
    ]
  )

  /// ArgumentParser's own `main`, except that a flag it rejects exits with status 1, like
  /// every other bad input (its default is 64, EX_USAGE): one exit status for "fix your
  /// input", whether the input is a file or a flag. Help and version still exit 0.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      guard code == .validationFailure else { exit(withError: error) }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(ExitCode.failure.rawValue)
    }
  }
}
