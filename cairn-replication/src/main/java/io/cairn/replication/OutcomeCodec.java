package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.partition.WriteOutcome;
import io.cairn.storage.ItemCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state machine's reply to a log entry: one {@link WriteOutcome} per command, in order.
 *
 * <p>Layout (version 2; version 1 had no index units): {@code version:u8, count:u32, outcome*}; Applied is
 * {@code 1, returned:item, oldBytes:u64, newBytes:u64, indexCount:u32, (index:string, global:u8, units:f64)*}; ConditionFailed is
 * {@code 2, hasItem:u8, [item], currentBytes:u64}; Rejected is {@code 3, errorType:string,
 * message:string} (the exception's optional detail object is not carried; the applier's
 * rejections have none). A replayed entry, which nobody waits for, gets {@code count 0}.
 */
public final class OutcomeCodec {
  public static final int VERSION = 2;
  /** 5 LSIs and 20 GSIs. */
  private static final int INDEXES_MAX = 25;
  private static final int APPLIED = 1;
  private static final int CONDITION_FAILED = 2;
  private static final int REJECTED = 3;

  private OutcomeCodec() {}

  public static byte[] encode(List<WriteOutcome> outcomes) {
    Bytes.Writer out = new Bytes.Writer(16 + 16 * outcomes.size());
    out.u8(VERSION);
    out.u32(outcomes.size());
    for (WriteOutcome outcome : outcomes) {
      switch (outcome) {
        case WriteOutcome.Applied applied -> {
          out.u8(APPLIED);
          out.bytes(ItemCodec.encode(applied.returned()));
          out.u64(applied.oldItemBytes());
          out.u64(applied.newItemBytes());
          out.u32(applied.indexUnits().size());
          for (WriteOutcome.IndexUnits units : applied.indexUnits()) {
            out.string(units.indexName());
            out.u8(units.global() ? 1 : 0);
            out.u64(Double.doubleToRawLongBits(units.units()));
          }
        }
        case WriteOutcome.ConditionFailed failed -> {
          out.u8(CONDITION_FAILED);
          out.u8(failed.currentItem() == null ? 0 : 1);
          if (failed.currentItem() != null) {
            out.bytes(ItemCodec.encode(failed.currentItem()));
          }
          out.u64(failed.currentItemBytes());
        }
        case WriteOutcome.Rejected rejected -> {
          out.u8(REJECTED);
          out.string(rejected.error().type().name());
          out.string(String.valueOf(rejected.error().getMessage()));
        }
      }
    }
    return out.toByteArray();
  }

  public static List<WriteOutcome> decode(byte[] bytes) {
    Bytes.Reader in = new Bytes.Reader(bytes);
    int version = in.u8();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown outcome version " + version);
    }
    int count = in.u32();
    Invariants.check(count >= 0 && count <= CommandCodec.COMMANDS_PER_ENTRY_MAX, "bad outcome count %s", count);
    List<WriteOutcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int tag = in.u8();
      outcomes.add(switch (tag) {
        case APPLIED -> {
          Map<String, io.cairn.core.value.AttributeValue> returned = ItemCodec.decode(in.bytes());
          long oldBytes = in.u64();
          long newBytes = in.u64();
          int indexes = in.u32();
          Invariants.check(indexes >= 0 && indexes <= INDEXES_MAX, "bad index unit count %s", indexes);
          List<WriteOutcome.IndexUnits> units = new ArrayList<>(indexes);
          for (int j = 0; j < indexes; j++) {
            units.add(new WriteOutcome.IndexUnits(in.string(), in.u8() == 1, Double.longBitsToDouble(in.u64())));
          }
          yield new WriteOutcome.Applied(returned, oldBytes, newBytes, units);
        }
        case CONDITION_FAILED -> {
          boolean hasItem = in.u8() == 1;
          yield new WriteOutcome.ConditionFailed(hasItem ? ItemCodec.decode(in.bytes()) : null, in.u64());
        }
        case REJECTED -> new WriteOutcome.Rejected(
            new DynamoDbException(ErrorType.valueOf(in.string()), in.string()));
        default -> throw new IllegalArgumentException("unknown outcome tag " + tag);
      });
    }
    return outcomes;
  }
}
