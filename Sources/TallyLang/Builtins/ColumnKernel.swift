import TallyCore

/// The typed loop of an element-wise built-in over columns: the whole column in one pass
/// over its typed array, no cell boxed. The built-in's one-row implementation stays the
/// definition: a row whose result is not finite (a domain error, a division by zero, an
/// overflow) is handed back to it, which gives that row its error value; every other kind
/// of column (texts, dates, booleans) runs once per distinct value (`ElementwiseColumns`).
public enum ColumnKernel: Sendable {
    /// f(x) over the first parameter's column, the other arguments single values: given
    /// them and the column's format, the function and the result's format (nil: no loop,
    /// e.g. `round(x, digits)` with digits out of range, which the one-row path reports).
    case unary(@Sendable (Arguments, NumberFormat) -> (@Sendable (Double) -> Double, NumberFormat)?)
    /// f(x, y) over the first two parameters, each a column or a single number; the result
    /// format from theirs.
    case binary(@Sendable (Double, Double) -> Double, format: @Sendable (NumberFormat, NumberFormat) -> NumberFormat)
    /// A loop of its own (`if`, `iferror`, `is_empty`): given the arguments and the row
    /// count, the column and the rows the one-row implementation must decide; nil when
    /// the arguments do not fit it.
    case custom(@Sendable (Arguments, Int) -> (Column, Set<Int>)?)
}
