import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// libumockdev's test bed (`UMockdevTestbed *`), loaded with dlopen: a private /sys and /dev
/// that libudev sees in this process, with fake devices, pty-backed device nodes and uevents.
///
/// Loaded at run time instead of linked so the package builds without libumockdev-dev; every
/// function used here is non-variadic (the variadic `umockdev_testbed_add_device` cannot be
/// called from Swift), which is why devices are added from umockdev's text format.
/// Works only in a process started under `umockdev-wrapper` (see `UMockdevSandbox`).
final class UMockdevTestbed {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let symbols: Symbols
    private let raw: OpaquePointer

    init() throws {
        symbols = try Symbols.load()
        // The same test libumockdev's own umockdev_is_preloaded() applies.
        guard ProcessInfo.processInfo.environment["LD_PRELOAD"]?.contains("libumockdev-preload") == true else {
            throw Failure(description: "libumockdev-preload is not loaded: run this process under umockdev-wrapper")
        }
        // umockdev_testbed_new creates a temporary root and points $UMOCKDEV_DIR at it.
        guard let raw = symbols.testbedNew() else { throw Failure(description: "umockdev_testbed_new failed") }
        self.raw = raw
    }

    /// Removes the temporary root (the GObject's finaliser does it) and unsets $UMOCKDEV_DIR.
    deinit { symbols.objectUnref(raw) }

    /// Adds devices written in umockdev-record's format (`umockdev_testbed_add_from_string`).
    /// Each added device emits an "add" uevent; an `N:` line on a tty creates a pty-backed node.
    func add(_ description: String) throws {
        var error: UnsafeMutableRawPointer?
        let ok = symbols.addFromString(raw, description, &error)
        if ok == 0 {
            // GError is { GQuark domain; gint code; gchar *message; }.
            let message = error.flatMap { $0.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self) }
                .map { String(cString: $0) } ?? "unknown error"
            throw Failure(description: "umockdev_testbed_add_from_string: \(message)")
        }
    }

    /// Sends a uevent ("add", "remove", "change") for a device (`umockdev_testbed_uevent`).
    func uevent(_ syspath: String, _ action: String) {
        symbols.uevent(raw, syspath, action)
    }

    /// Deletes a device's sysfs directory and device node (`umockdev_testbed_remove_device`);
    /// sends no uevent by itself. A removed node name cannot be added again in the same test bed.
    func removeDevice(_ syspath: String) {
        symbols.removeDevice(raw, syspath)
    }

    /// The master side of a tty device node's pty (`umockdev_testbed_get_dev_fd`): what the
    /// code under test writes to `devnode` comes out here. Owned by the test bed; do not close.
    func masterFileDescriptor(of devnode: String) -> Int32 {
        symbols.getDevFD(raw, devnode)
    }

    private struct Symbols {
        typealias New = @convention(c) () -> OpaquePointer?
        typealias AddFromString = @convention(c) (
            OpaquePointer, UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32
        typealias Uevent = @convention(c) (OpaquePointer, UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void
        typealias RemoveDevice = @convention(c) (OpaquePointer, UnsafePointer<CChar>) -> Void
        typealias GetDevFD = @convention(c) (OpaquePointer, UnsafePointer<CChar>) -> Int32
        typealias Unref = @convention(c) (OpaquePointer) -> Void

        var testbedNew: New
        var addFromString: AddFromString
        var uevent: Uevent
        var removeDevice: RemoveDevice
        var getDevFD: GetDevFD
        var objectUnref: Unref

        static func load() throws -> Symbols {
            guard let library = dlopen("libumockdev.so.0", RTLD_NOW | RTLD_GLOBAL) else {
                throw Failure(description: "cannot load libumockdev.so.0 (\(String(cString: dlerror()))): "
                    + "apt-get install -y umockdev libumockdev0")
            }
            func symbol<T>(_ name: String, as type: T.Type) throws -> T {
                // g_object_unref resolves through libumockdev's own dependency on libgobject.
                guard let address = dlsym(library, name) else {
                    throw Failure(description: "libumockdev.so.0 lacks \(name)")
                }
                return unsafeBitCast(address, to: type)
            }
            return Symbols(
                testbedNew: try symbol("umockdev_testbed_new", as: New.self),
                addFromString: try symbol("umockdev_testbed_add_from_string", as: AddFromString.self),
                uevent: try symbol("umockdev_testbed_uevent", as: Uevent.self),
                removeDevice: try symbol("umockdev_testbed_remove_device", as: RemoveDevice.self),
                getDevFD: try symbol("umockdev_testbed_get_dev_fd", as: GetDevFD.self),
                objectUnref: try symbol("g_object_unref", as: Unref.self)
            )
        }
    }
}
