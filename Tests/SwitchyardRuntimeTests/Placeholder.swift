import Testing
@testable import SwitchyardRuntime
