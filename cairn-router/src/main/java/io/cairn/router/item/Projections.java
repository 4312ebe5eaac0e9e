package io.cairn.router.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.expressions.ProjectionExpression;
import io.cairn.router.request.Fields;

/** Which attributes a read returns: ProjectionExpression or the legacy AttributesToGet. */
final class Projections {
  private Projections() {}

  /** The projection, or null to return whole items. */
  static ProjectionExpression read(ObjectNode request, ExpressionAttributes attributes) {
    String text = Fields.string(request, "ProjectionExpression");
    if (text != null) {
      return Expressions.parseProjection(text, attributes);
    }
    return LegacyRequests.attributesToGet(Fields.strings(request, "AttributesToGet"));
  }
}
