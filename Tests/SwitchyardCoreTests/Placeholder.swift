import Testing
@testable import SwitchyardCore
