package io.cairn.partition.index;

import io.cairn.core.value.AttributeValue;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which attributes an index copies from the table. The table's and the index's key attributes are
 * always projected; ALL copies every attribute, KEYS_ONLY nothing else, INCLUDE the listed ones.
 */
public record IndexProjection(Type type, List<String> nonKeyAttributes) {
  public enum Type { ALL, KEYS_ONLY, INCLUDE }

  public static final IndexProjection ALL = new IndexProjection(Type.ALL, List.of());

  public IndexProjection {
    nonKeyAttributes = List.copyOf(nonKeyAttributes);
  }

  /** The index entry's attributes, in the item's attribute order. */
  public Map<String, AttributeValue> project(Map<String, AttributeValue> item, Collection<String> keyAttributes) {
    if (type == Type.ALL) {
      return item;
    }
    Map<String, AttributeValue> projected = new LinkedHashMap<>();
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      String name = attribute.getKey();
      if (keyAttributes.contains(name) || (type == Type.INCLUDE && nonKeyAttributes.contains(name))) {
        projected.put(name, attribute.getValue());
      }
    }
    return projected;
  }

  /** Whether an attribute (top-level name) is available in the index. */
  public boolean projects(String attribute, Collection<String> keyAttributes) {
    return type == Type.ALL || keyAttributes.contains(attribute)
        || (type == Type.INCLUDE && nonKeyAttributes.contains(attribute));
  }
}
