import Foundation
import GRDB

extension SQLiteStateStore {
    /// Creates the folder that holds the database, naming the part of the path in the way when it cannot.
    static func prepareFolder(for path: String) throws(StateStoreError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw .cannotCreateFolder(path: folder, reason: "a file of that name is in the way") }
            return
        }
        // Find the deepest existing ancestor: if it is a file, say so.
        var ancestor = URL(fileURLWithPath: folder)
        while ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { throw .cannotCreateFolder(path: folder, reason: "\(ancestor.path) is a file, not a folder") }
                break
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw .cannotCreateFolder(path: folder, reason: reason)
        }
    }

    /// Refuses a folder, an unreadable file or a file that is not SQLite before SQLite gets to it, so the
    /// message names the problem instead of an SQLite code.
    static func checkFile(at path: String) throws(StateStoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue { throw .cannotOpen(path: path, reason: "it is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotOpen(path: path, reason: "permission denied (cannot read it)")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return } // an empty file is a new database to SQLite
        if header != Data("SQLite format 3\0".utf8) {
            throw .notADatabase(path: path, reason: "the file does not start with the SQLite header")
        }
    }

    /// Turns a GRDB or SQLite error into one a person can act on.
    static func translate(_ error: any Error, path: String, operation: String, timeout: Duration) -> StateStoreError {
        guard let error = error as? DatabaseError else {
            if error is CancellationError { return .database(path: path, operation: operation, reason: "cancelled") }
            return .database(path: path, operation: operation, reason: "\(error)")
        }
        let reason = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notADatabase(path: path, reason: reason)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return .cannotOpen(path: path, reason: reason)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(path: path, operation: operation, timeout: timeout)
        case .SQLITE_FULL:
            return .database(path: path, operation: operation, reason: "the disk is full")
        default:
            return .database(path: path, operation: operation, reason: reason)
        }
    }
}
