import Testing
@testable import SwitchyardServer
