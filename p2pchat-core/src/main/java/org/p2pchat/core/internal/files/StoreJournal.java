package org.p2pchat.core.internal.files;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TransferJournal} in a {@link MessageStore}'s named value {@value #NAME}: every
 * outgoing transfer under way, rewritten whole at each change (at most
 * {@link FileOptions#maxOutgoing()} of them, a few hundred bytes each). Layout, version 1:
 * {@code version: uint8 = 1 | count: uint16 | count × (id: 16 B | key: 32 B | label: UTF |
 * path: UTF | name: UTF | size: int64 | sha256: 32 B)}, {@code UTF} as
 * {@link DataOutputStream#writeUTF}. A value it cannot read is logged and ignored: losing the
 * journal costs a re-offer by hand, never a wrong file. File thread only.
 */
final class StoreJournal implements TransferJournal {
    static final String NAME = "files.outgoing";
    private static final Logger LOG = LoggerFactory.getLogger(StoreJournal.class);
    private static final int VERSION = 1;

    private final MessageStore store;
    private final Map<TransferId, Saved> saved = new LinkedHashMap<>();

    StoreJournal(MessageStore store) {
        this.store = store;
        for (Saved s : read()) {
            saved.put(s.id(), s);
        }
    }

    @Override
    public void saved(OutgoingTransfer t) {
        if (t.key == null) {
            // Not met yet: a restarted peer would not know whom to offer it to by key.
            return;
        }
        saved.put(t.id, new Saved(t.id, t.key, t.label, t.path, t.name, t.size, t.sha256()));
        persist();
    }

    @Override
    public void forgotten(TransferId id) {
        if (saved.remove(id) != null) {
            persist();
        }
    }

    @Override
    public List<Saved> load() {
        return List.copyOf(saved.values());
    }

    private void persist() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeShort(saved.size());
            for (Saved s : saved.values()) {
                out.write(s.id().bytes());
                out.write(s.key().bytes());
                out.writeUTF(s.label());
                out.writeUTF(s.path().toAbsolutePath().toString());
                out.writeUTF(s.name());
                out.writeLong(s.size());
                out.write(s.sha256());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.write(new StoreWrite().value(NAME, saved.isEmpty() ? null : bytes.toByteArray()))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warn("cannot remember the files being sent: {}", e.toString());
                    }
                });
    }

    private List<Saved> read() {
        byte[] value = store.value(NAME).orElse(null);
        List<Saved> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("version " + version);
            }
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                byte[] id = in.readNBytes(TransferId.BYTES);
                byte[] key = in.readNBytes(32);
                String label = in.readUTF();
                Path path = Path.of(in.readUTF());
                String name = in.readUTF();
                long size = in.readLong();
                byte[] sha = in.readNBytes(FileFrames.DIGEST_BYTES);
                if (sha.length != FileFrames.DIGEST_BYTES) {
                    throw new IOException("it ends early");
                }
                out.add(new Saved(TransferId.of(id), PeerKey.of(key), label, path, name, size,
                        sha));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the remembered files being sent ({}): {}", NAME, e.toString());
            out.clear();
        }
        return out;
    }
}
