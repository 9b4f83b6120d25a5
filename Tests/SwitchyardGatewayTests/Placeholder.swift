import Testing
@testable import SwitchyardGateway
