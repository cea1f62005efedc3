// Servers are started on an EventLoopGroup: users of HTTPCore see the reactor's public types.
@_exported import Reactor
