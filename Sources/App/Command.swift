#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// The `switchyard` command line: parse, validate, then run.
public enum SwitchyardCommand {
    /// Runs the command and returns the process exit code (2 for usage errors).
    public static func run(_ arguments: [String], environment: [String: String]) async -> Int32 {
        let rest = Array(arguments.dropFirst())
        switch rest.first {
        case "serve":
            switch ServeOptions.parse(Array(rest.dropFirst()), environment: environment) {
            case .success(let options):
                return await ServeCommand(options: options, environment: environment).run()
            case .failure(let errors):
                for message in errors.messages { printError("switchyard: \(message)") }
                printError("run 'switchyard --help' for the options")
                return 2
            }
        case "--help", "-h", "help":
            print(ServeOptions.usage)
            return 0
        case nil:
            printError(ServeOptions.usage)
            return 2
        default:
            printError("switchyard: unknown command '\(rest[0])'\n\n" + ServeOptions.usage)
            return 2
        }
    }

    static func printError(_ text: String) {
        let line = text + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
