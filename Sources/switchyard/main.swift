import App
import Foundation

exit(await SwitchyardCommand.run(CommandLine.arguments, environment: ProcessInfo.processInfo.environment))
