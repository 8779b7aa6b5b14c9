/// Placeholder until the qemu-guest branch lands: refuses rather than pretends.
public enum QemuGuestEmitter {
    public static func emit(source: String) -> EmittedFile {
        fatalError("qemu-guest is not merged yet")
    }
}
