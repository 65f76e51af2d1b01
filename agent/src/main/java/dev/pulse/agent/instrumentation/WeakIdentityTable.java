package dev.pulse.agent.instrumentation;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A value per host object, keyed by identity and held weakly: what a field added to the host's
 * class would hold, had the agent been allowed to change class formats (OpenTelemetry's
 * VirtualField falls back to the same). Bounded: past {@code capacity} live entries a put is
 * refused. Reads take no lock; writers lock one of 16 segments. Chains are never changed in place
 * (a removal copies the entries ahead of the removed one), so a reader racing a writer sees the
 * old chain or the new one, never a broken one.
 */
public final class WeakIdentityTable<V> {
  private static final int SEGMENTS = 16;

  private final Segment<V>[] segments;
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final int segmentCapacity;

  @SuppressWarnings("unchecked")
  public WeakIdentityTable(int capacity) {
    this.segmentCapacity = Math.max(1, capacity / SEGMENTS);
    this.segments = new Segment[SEGMENTS];
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment<>();
    }
  }

  public V get(Object key) {
    Entry<V> entry = find(key, hash(key));
    return entry != null ? entry.value : null;
  }

  /** The live entry of {@code key}, read without a lock. */
  private Entry<V> find(Object key, int hash) {
    AtomicReferenceArray<Entry<V>> table = segmentFor(hash).table;
    for (Entry<V> e = table.get(hash & (table.length() - 1)); e != null; e = e.next) {
      if (e.hash == hash && e.get() == key) {
        return e;
      }
    }
    return null;
  }

  /** Maps {@code key} to {@code value}, replacing any value; false when the table is full. */
  public boolean put(Object key, V value) {
    expungeCollected();
    int hash = hash(key);
    return segmentFor(hash).put(key, hash, value, true, this) == value;
  }

  /**
   * The value {@code key} has: the one held, else {@code value} once put; null when the table is
   * full.
   */
  public V putIfAbsent(Object key, V value) {
    expungeCollected();
    int hash = hash(key);
    return segmentFor(hash).put(key, hash, value, false, this);
  }

  /** Locks only when the key is there: most closes find nothing to remove in one of the tables. */
  public void remove(Object key) {
    int hash = hash(key);
    if (find(key, hash) != null) {
      segmentFor(hash).remove(key, hash, null, collected);
    }
  }

  /** Live entries, counting those whose key was collected but not yet expunged. */
  public int size() {
    expungeCollected();
    int size = 0;
    for (Segment<V> segment : segments) {
      size += segment.count();
    }
    return size;
  }

  private Segment<V> segmentFor(int hash) {
    return segments[hash >>> 28];
  }

  private static int hash(Object key) {
    return System.identityHashCode(key) * 0x9E3779B9;
  }

  @SuppressWarnings("unchecked")
  private void expungeCollected() {
    for (Object stale; (stale = collected.poll()) != null; ) {
      Entry<V> entry = (Entry<V>) stale;
      segmentFor(entry.hash).remove(null, entry.hash, entry, collected);
    }
  }

  private static final class Entry<V> extends WeakReference<Object> {
    final int hash;
    final V value;
    final Entry<V> next;

    Entry(Object key, int hash, V value, Entry<V> next, ReferenceQueue<Object> queue) {
      super(key, queue);
      this.hash = hash;
      this.value = value;
      this.next = next;
    }
  }

  /**
   * Writers publish with release stores (lazySet), not volatile ones: the lock orders writers, a
   * reader's volatile load sees a whole entry either way, and a volatile store costs each prepare
   * and close of the application's statements a full fence.
   */
  private static final class Segment<V> {
    volatile AtomicReferenceArray<Entry<V>> table = new AtomicReferenceArray<>(8);
    /** Under the lock (a plain field: a volatile one would fence each put and remove too). */
    private int count;

    synchronized int count() {
      return count;
    }

    synchronized V put(Object key, int hash, V value, boolean replace, WeakIdentityTable<V> owner) {
      AtomicReferenceArray<Entry<V>> tab = table;
      int index = hash & (tab.length() - 1);
      for (Entry<V> e = tab.get(index); e != null; e = e.next) {
        if (e.hash == hash && e.get() == key) {
          if (!replace) {
            return e.value;
          }
          remove(key, hash, null, owner.collected);
          return put(key, hash, value, true, owner);
        }
      }
      if (count >= owner.segmentCapacity) {
        return null;
      }
      if (count >= tab.length() * 3 / 4) {
        tab = grow(tab, owner.collected);
        index = hash & (tab.length() - 1);
      }
      tab.lazySet(index, new Entry<>(key, hash, value, tab.get(index), owner.collected));
      count++;
      return value;
    }

    /** Removes the entry of {@code key}, or {@code entry} itself when key is null (expunging). */
    synchronized void remove(Object key, int hash, Entry<V> entry,
        ReferenceQueue<Object> queue) {
      AtomicReferenceArray<Entry<V>> tab = table;
      int index = hash & (tab.length() - 1);
      Entry<V> first = tab.get(index);
      for (Entry<V> e = first; e != null; e = e.next) {
        if (entry != null ? e == entry : e.hash == hash && e.get() == key) {
          Entry<V> rest = e.next;
          for (Entry<V> p = first; p != e; p = p.next) {
            Object live = p.get();
            if (live != null) {
              rest = new Entry<>(live, p.hash, p.value, rest, queue);
            } else {
              count--; // collected on the way: dropped with the copy
            }
          }
          tab.lazySet(index, rest);
          count--;
          return;
        }
      }
    }

    private AtomicReferenceArray<Entry<V>> grow(AtomicReferenceArray<Entry<V>> old,
        ReferenceQueue<Object> queue) {
      AtomicReferenceArray<Entry<V>> bigger = new AtomicReferenceArray<>(old.length() * 2);
      int live = 0;
      for (int i = 0; i < old.length(); i++) {
        for (Entry<V> e = old.get(i); e != null; e = e.next) {
          Object key = e.get();
          if (key != null) {
            int index = e.hash & (bigger.length() - 1);
            bigger.set(index, new Entry<>(key, e.hash, e.value, bigger.get(index), queue));
            live++;
          }
        }
      }
      count = live;
      table = bigger;
      return bigger;
    }
  }
}
