import ArgumentParser

/// `--json`, shared by the commands that can print their result as JSON.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON.")
    var json = false
}
