package dev.hstu.formats.io;

import java.util.HashMap;
import java.util.Map;

/**
 * Dense ids for the string tokens of a file (RecBole's user and item tokens): {@code 1, 2, 3, ...} in the order the
 * tokens are first seen, so the same file always gives the same ids. The ids belong to the file, not to the token:
 * another file that lists its tokens in another order gives them other ids.
 */
public final class TokenIds {
    private final Map<String, Long> ids = new HashMap<>();

    /**
     * @param token a token
     * @return its id, a new one ({@code size() + 1}) the first time it is seen
     */
    public long id(String token) {
        Long id = ids.get(token);
        if (id == null) {
            id = ids.size() + 1L;
            ids.put(token, id);
        }
        return id;
    }

    /** @return tokens seen */
    public int size() {
        return ids.size();
    }
}
