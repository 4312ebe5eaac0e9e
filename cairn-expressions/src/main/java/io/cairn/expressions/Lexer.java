package io.cairn.expressions;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits expression text into tokens. Never fails: a character that starts no token becomes an
 * UNKNOWN token, which the parser reports as DynamoDB reports it (a syntax error naming the token).
 */
final class Lexer {
  private Lexer() {}

  enum Kind {
    NAME, NAME_PLACEHOLDER, VALUE_PLACEHOLDER, NUMBER,
    LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT,
    EQ, NE, LT, LE, GT, GE, PLUS, MINUS,
    UNKNOWN, EOF
  }

  record Token(Kind kind, String text, int start, int end) {
    boolean isKeyword(String keyword) {
      return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
    }
  }

  static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int length = text.length();
    while (i < length) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      int start = i;
      Kind kind;
      if (isNameStart(c)) {
        i = skipNameChars(text, i + 1);
        kind = Kind.NAME;
      } else if (c >= '0' && c <= '9') {
        while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          i++;
        }
        kind = Kind.NUMBER;
      } else if ((c == '#' || c == ':') && i + 1 < length && isNameChar(text.charAt(i + 1))) {
        i = skipNameChars(text, i + 1);
        kind = c == '#' ? Kind.NAME_PLACEHOLDER : Kind.VALUE_PLACEHOLDER;
      } else {
        i++;
        kind = switch (c) {
          case '(' -> Kind.LPAREN;
          case ')' -> Kind.RPAREN;
          case '[' -> Kind.LBRACKET;
          case ']' -> Kind.RBRACKET;
          case ',' -> Kind.COMMA;
          case '.' -> Kind.DOT;
          case '=' -> Kind.EQ;
          case '+' -> Kind.PLUS;
          case '-' -> Kind.MINUS;
          case '<' -> {
            if (i < length && text.charAt(i) == '=') {
              i++;
              yield Kind.LE;
            }
            if (i < length && text.charAt(i) == '>') {
              i++;
              yield Kind.NE;
            }
            yield Kind.LT;
          }
          case '>' -> {
            if (i < length && text.charAt(i) == '=') {
              i++;
              yield Kind.GE;
            }
            yield Kind.GT;
          }
          default -> {
            // Keep a surrogate pair together so the error names the whole character.
            if (Character.isHighSurrogate(c) && i < length && Character.isLowSurrogate(text.charAt(i))) {
              i++;
            }
            yield Kind.UNKNOWN;
          }
        };
      }
      tokens.add(new Token(kind, text.substring(start, i), start, i));
    }
    tokens.add(new Token(Kind.EOF, "<EOF>", length, length));
    return tokens;
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  private static int skipNameChars(String text, int from) {
    int i = from;
    while (i < text.length() && isNameChar(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
