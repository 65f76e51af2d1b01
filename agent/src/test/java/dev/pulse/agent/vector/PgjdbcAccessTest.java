package dev.pulse.agent.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Bound whole numbers as pgjdbc holds them (binary int2/int4/int8, or text), read without a literal. */
class PgjdbcAccessTest {

  @Test
  void binaryIntegersAreReadByTheirType() {
    assertEquals(10, PgjdbcAccess.wholeNumber(new byte[] {0, 0, 0, 10}, 23));
    assertEquals(300, PgjdbcAccess.wholeNumber(new byte[] {0, 0, 1, 44}, 23));
    assertEquals(7, PgjdbcAccess.wholeNumber(new byte[] {0, 7}, 21));
    assertEquals(5_000_000_000L, PgjdbcAccess.wholeNumber(
        new byte[] {0, 0, 0, 1, 42, 5, -14, 0}, 20));
    assertEquals(-1, PgjdbcAccess.wholeNumber(new byte[] {-1, -1, -1, -5}, 23), "negative: no k");
    assertEquals(-1, PgjdbcAccess.wholeNumber(new byte[] {0, 0, 0, 10}, 17), "bytea is no number");
    assertEquals(-1, PgjdbcAccess.wholeNumber(new byte[] {0, 10}, 23), "length and type disagree");
  }

  @Test
  void textIsReadAsItsDigits() {
    assertEquals(25, PgjdbcAccess.wholeNumber("25", 0));
    assertEquals(25, PgjdbcAccess.wholeNumber(" 25 ", 1043));
    assertEquals(-1, PgjdbcAccess.wholeNumber("ten", 0));
    assertEquals(-1, PgjdbcAccess.wholeNumber("99999999999", 0), "past an int");
    assertEquals(-1, PgjdbcAccess.wholeNumber(Integer.valueOf(3), 23), "not a form pgjdbc binds");
  }
}
