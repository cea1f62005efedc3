-- wrk script: POST a JSON body read from a file, with extra headers.
--   wrk ... -s Benchmarks/post.lua URL -- BODY_FILE [Header: value]...
-- Each thread builds its request once (static request, no per-request Lua work).
function init(args)
    local file = assert(io.open(args[1], "rb"), "cannot open body file " .. tostring(args[1]))
    wrk.body = file:read("*a")
    file:close()
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    for i = 2, #args do
        local name, value = args[i]:match("^([^:]+):%s*(.*)$")
        if name then wrk.headers[name] = value end
    end
end
