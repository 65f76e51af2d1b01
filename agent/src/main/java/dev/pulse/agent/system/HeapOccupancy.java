package dev.pulse.agent.system;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The heap in use right after the latest collection, the live set an alert should judge: the heap
 * in use at a random moment is mostly garbage waiting for the next young collection, and would
 * cross any threshold many times a minute in a healthy application.
 */
final class HeapOccupancy {
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  /** A collection reports every memory pool, metaspace and code cache too: only these count. */
  private final Set<String> heapPools = new HashSet<>();

  HeapOccupancy() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
  }

  /** Bytes in use after the latest collection; the heap in use now before the first one. */
  long usedBytes() {
    com.sun.management.GcInfo latest = null;
    for (GarbageCollectorMXBean collector : collectors) {
      if (collector instanceof com.sun.management.GarbageCollectorMXBean) {
        com.sun.management.GcInfo info =
            ((com.sun.management.GarbageCollectorMXBean) collector).getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }
}
