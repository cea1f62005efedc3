#if canImport(Glibc)
import Glibc
#endif
import MockUpstream

exit(await MockCommand.run(Array(CommandLine.arguments.dropFirst())))
