@_exported import CSystem
