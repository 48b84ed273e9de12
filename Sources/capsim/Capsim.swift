import ArgumentParser

@main
struct Capsim: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Autoscaling simulator and capacity advisor for EC2 fleets.")
}
