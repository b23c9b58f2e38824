package dev.hstu.formats.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A binary file (vectors, ids) whose header or size is not of its format: the typed refusal of the binary readers,
 * raised before anything the header asks for is allocated.
 */
public final class InvalidBinaryFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the file read
     * @param reason what is wrong, with the header's values and the file's size
     */
    public InvalidBinaryFileException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    /** @return the file refused */
    public Path file() {
        return file;
    }
}
