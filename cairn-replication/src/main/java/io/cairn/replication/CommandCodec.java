package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpressionSource;
import io.cairn.expressions.Expressions;
import io.cairn.expressions.UpdateExpression;
import io.cairn.partition.ReturnValues;
import io.cairn.partition.WriteCommand;
import io.cairn.storage.ItemCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A log entry's bytes: a batch of {@link WriteCommand}s for one partition, applied in order.
 *
 * <p>Layout (version 1): {@code version:u8, count:u32, command*}; a command is
 * {@code kind:u8, storageKey:bytes, key:item, [item:item | update:source?], condition:source?,
 * returnValues:u8, returnItemOnConditionFailure:u8}. Items are {@link ItemCodec} bytes;
 * expressions are stored as rendered text with their placeholders ({@link ExpressionSource}), so
 * the log holds no Java serialization and no parser internals: a later version reads it as long
 * as it parses the expression language.
 */
public final class CommandCodec {
  public static final int VERSION = 1;
  /** How many commands one log entry may carry; bounds the work of one apply. */
  public static final int COMMANDS_PER_ENTRY_MAX = 1024;

  private static final int PUT = 1;
  private static final int UPDATE = 2;
  private static final int DELETE = 3;
  private static final int CHECK = 4;

  private CommandCodec() {}

  public static byte[] encode(List<WriteCommand> commands) {
    Invariants.check(!commands.isEmpty() && commands.size() <= COMMANDS_PER_ENTRY_MAX,
        "a log entry carries 1..%s commands, not %s", COMMANDS_PER_ENTRY_MAX, commands.size());
    Bytes.Writer out = new Bytes.Writer(256);
    out.u8(VERSION);
    out.u32(commands.size());
    for (WriteCommand command : commands) {
      write(out, command);
    }
    return out.toByteArray();
  }

  public static List<WriteCommand> decode(byte[] bytes) {
    Bytes.Reader in = new Bytes.Reader(bytes);
    int version = in.u8();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown command log version " + version);
    }
    int count = in.u32();
    Invariants.check(count > 0 && count <= COMMANDS_PER_ENTRY_MAX, "bad command count %s", count);
    List<WriteCommand> commands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      commands.add(read(in));
    }
    Invariants.check(in.remaining() == 0, "%s trailing bytes after a command batch", in.remaining());
    return commands;
  }

  private static void write(Bytes.Writer out, WriteCommand command) {
    switch (command) {
      case WriteCommand.Put put -> {
        out.u8(PUT);
        out.bytes(put.storageKey());
        out.bytes(ItemCodec.encode(put.key()));
        out.bytes(ItemCodec.encode(put.item()));
      }
      case WriteCommand.Update update -> {
        out.u8(UPDATE);
        out.bytes(update.storageKey());
        out.bytes(ItemCodec.encode(update.key()));
        writeSource(out, update.update() == null ? null : update.update().source());
      }
      case WriteCommand.Delete delete -> {
        out.u8(DELETE);
        out.bytes(delete.storageKey());
        out.bytes(ItemCodec.encode(delete.key()));
      }
      case WriteCommand.Check check -> {
        out.u8(CHECK);
        out.bytes(check.storageKey());
        out.bytes(ItemCodec.encode(check.key()));
      }
    }
    writeSource(out, command.condition() == null ? null : command.condition().source());
    out.u8(returnValuesCode(command.returnValues()));
    out.u8(command.returnItemOnConditionFailure() ? 1 : 0);
  }

  private static WriteCommand read(Bytes.Reader in) {
    int kind = in.u8();
    byte[] storageKey = in.bytes();
    Map<String, AttributeValue> key = ItemCodec.decode(in.bytes());
    Map<String, AttributeValue> item = kind == PUT ? ItemCodec.decode(in.bytes()) : null;
    ExpressionSource updateSource = kind == UPDATE ? readSource(in) : null;
    ExpressionSource conditionSource = readSource(in);
    ReturnValues returnValues = returnValues(in.u8());
    boolean returnItem = in.u8() == 1;
    ConditionExpression condition = conditionSource == null ? null : Expressions.parseCondition(conditionSource);
    return switch (kind) {
      case PUT -> new WriteCommand.Put(storageKey, key, item, condition, returnValues, returnItem);
      case UPDATE -> {
        UpdateExpression update = updateSource == null ? null : Expressions.parseUpdate(updateSource);
        yield new WriteCommand.Update(storageKey, key, update, condition, returnValues, returnItem);
      }
      case DELETE -> new WriteCommand.Delete(storageKey, key, condition, returnValues, returnItem);
      case CHECK -> new WriteCommand.Check(storageKey, key, condition, returnItem);
      default -> throw new IllegalArgumentException("unknown command kind " + kind);
    };
  }

  private static void writeSource(Bytes.Writer out, ExpressionSource source) {
    if (source == null) {
      out.u8(0);
      return;
    }
    out.u8(source.legacy() ? 2 : 1);
    out.string(source.text());
    out.u32(source.names().size());
    for (Map.Entry<String, String> name : source.names().entrySet()) {
      out.string(name.getKey());
      out.string(name.getValue());
    }
    // The placeholders are ":v0", ":v1", …: an item codec map holds them with their values.
    out.bytes(ItemCodec.encode(source.values()));
  }

  private static ExpressionSource readSource(Bytes.Reader in) {
    int tag = in.u8();
    if (tag == 0) {
      return null;
    }
    Invariants.check(tag == 1 || tag == 2, "bad expression tag %s", tag);
    String text = in.string();
    int count = in.u32();
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      names.put(in.string(), in.string());
    }
    Map<String, AttributeValue> values = ItemCodec.decode(in.bytes());
    return new ExpressionSource(text, names, values, tag == 2);
  }

  /** Stable codes, independent of the enum's declaration order. */
  private static int returnValuesCode(ReturnValues returnValues) {
    return switch (returnValues) {
      case NONE -> 0;
      case ALL_OLD -> 1;
      case UPDATED_OLD -> 2;
      case ALL_NEW -> 3;
      case UPDATED_NEW -> 4;
    };
  }

  private static ReturnValues returnValues(int code) {
    return switch (code) {
      case 0 -> ReturnValues.NONE;
      case 1 -> ReturnValues.ALL_OLD;
      case 2 -> ReturnValues.UPDATED_OLD;
      case 3 -> ReturnValues.ALL_NEW;
      case 4 -> ReturnValues.UPDATED_NEW;
      default -> throw new IllegalArgumentException("unknown ReturnValues code " + code);
    };
  }
}
