import Hummingbird

/// The stylesheet and the script, open (registered before `AuthMiddleware`, like `/healthz`): they are the same for
/// everyone and carry no data, and the login page needs the stylesheet before anyone has a session.
enum DashboardAssetRoutes {
    static func add(to router: Router<YarddRequestContext>) {
        router.get("/ui/assets/dashboard.css") { _, _ in asset(DashboardStylesheet.css, type: "text/css; charset=utf-8") }
        router.get("/ui/assets/live.js") { _, _ in asset(DashboardScript.js, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
