import JSON

/// The `tools` array both the OpenAI and Anthropic encoders write: another provider's built-in
/// tools are dropped (named `builtin_tools`), this provider's pass as they are, and `write`
/// encodes each function tool. Returns whether any tool was written.
enum ToolListWriter {
    static func write(_ request: ChatRequest, for dialect: Dialect, into out: inout JSONWriter, log: inout DropLog,
                      function write: (ToolDefinition, inout JSONWriter, inout DropLog) throws -> Void) throws -> Bool {
        var wroteTools = false
        for tool in request.tools {
            if let builtin = tool.builtin, builtin.dialect != dialect {
                try log.drop("builtin_tools")
                continue
            }
            if !wroteTools {
                out.key("tools")
                out.beginArray()
                wroteTools = true
            }
            if let builtin = tool.builtin {
                out.value(builtin.raw)
            } else {
                try write(tool, &out, &log)
            }
        }
        if wroteTools { out.endArray() }
        return wroteTools
    }
}
