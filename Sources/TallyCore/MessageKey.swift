/// The key of a sentence in the REPL's message catalogue (English and Chinese text with
/// `{0}`, `{1}`... for the note's arguments). The core names sentences; only the REPL
/// holds their words.
public enum MessageKey: String, Sendable, CaseIterable {
    // Plain carriers.
    case verbatim, warning, plainNote, elseOne
    // Nouns for counts (`row|rows`).
    case nounKey, nounCustomerHas, nounRow, nounColumn, nounMoreRow, nounMoreColumn, nounFormula, nounTable, nounDefinition, nounOrder, nounCustomer, nounName, nounScenario, nounOverride, nounDay, nounWorkingDay
    // RFM.
    case rfmLeadOrders, rfmRecencyTo, rfmAsofDefaulted, rfmLeadCustomers, rfmNumberedByRow, rfmSkippedRows
    case rfmTitleStandard, rfmTitleGiven, rfmTitleQuantile
    case rfmScaleUpper, rfmScaleLower, rfmInCents, rfmScaleQuantile, rfmHigherBetter, rfmLowerBetter, rfmSmaller, rfmLarger
    case rfmAtMost, rfmAtLeast, rfmAbove, rfmBelow
    case rfmSegments, rfmStandardRules, rfmYourRules, rfmMean
    case whyHead, whyMeans, whySegment, whySegmentNamed
    // ABC.
    case abcNonPositive, abcNoPositive, abcNoA, abcBeforeWould, abcSkipped, funnelLarger
    case rfmFuture, rfmSkippedEmpty, rfmSkippedBadAmount
    case quantileNoValues, quantileAllEqual, quantileEmptyScore, quantileEmptyScores, quantileCollapsed, quantileTie
    case abcLead, abcTiesKey, abcTiesRow, abcLeftOut, abcSummed, abcCutoffsBefore, abcCutoffsIncluding, abcClasses, abcClass
    // Split and planning.
    case splitWeightsSum, splitWeights, splitTierWeights, splitRounding, splitRoundingMore
    case tierLine, tierNoRows, tierOver, tierBy, tierEach
    case treeLevels, segmentRulesOrder
    case progressDays, progressCounted, progressActual, progressTarget, progressNoActual, progressLeftOut, listMore
    case splitCut, splitByDays, splitByWorkdays, splitByShare, splitOutside, periodSpan, dateRange, splitUncovered
    case remoteRanHere, remoteFetchedAll, remoteLoaded, remoteRelationTable, remoteRelationQuery
    case remoteColumnTyped, typeNumber, typeText, typeDate, typeBoolean, typeMixed
    case remoteJoinedHere, remoteJoinLocalSide, remoteJoinTwoServers, remoteSplitRows, remoteFetchProgress, remotePreview, remoteFetchedColumn, remoteStreamed
    case treeGrouped, treeWeightsSummed, treeColumnsSummed
    case funnelOverall
    // What-if and planning commands.
    case whatIfFormula, whatIfFormulas, whatIfNoDependents, whatIfNothingChanged, scenarioOverrides, dataTableNothingChanged, dataTableHeat
    case sensitivityLead, sensitivityLeadRanges
    // Command messages.
    case demoLoaded, tableRows, readFile, readWorkbook, readSeparated, columnNote
    case exportRemovedLeftover, exportRemovedLeftovers
    case columnStayedText, columnLeadingZeros, placeLine, placeCell, kindEmpty, kindANumber, kindADate, kindABoolean, kindAText
    case dropped, renamed, renamedSaid, scenarioStored, scenarioReplaced, scenarioAsFormulas, scenarioDropped, noScenarios
    case scenarioApplied, columnDefined, saved, savedEmbedded, opened, undoDropped, undid, redid, exported
    case settingSet
    // Table display.
    case tableShape, tableValue, remoteTableValue, inParentheses, moreRows, moreColumns
    // The reader's load notices (TallyIO).
    case nounBadRow, nounExcelError, nounFormulaCellHas, delimiterComma, delimiterTab, delimiterSemicolon, delimiterPipe
    case loadNoHeader, loadHeaderRepeats, loadTitles, loadTitleRow, loadEmptyColumn, loadEmptyColumns, loadExcelErrors
    case loadFormulasNoValue, loadOtherSheets, loadSkipped, loadSkipAtLineColumn, loadSkipAtLine, loadSkipAtCell, loadSkipReason
    case loadSkipMore, loadTotalRow, loadTotalRows, atLine, atLines, atRow, atRows
    // assign's loads and the computed ABC analysis.
    case assignLoads, assignLoadsCapacity, assignLoadLine, assignCapacity, assignPerUnit
    case assignSpread, assignSpreadPerUnit, assignSpreadIn, assignSpreadPerUnitIn
    case assignUnassigned, assignUnassignedOne, assignNoRepInGroup, assignNoCapacityInGroup, assignNoRep
    case nounItem, abcComputedLead, abcComputedPareto, abcComputedBreakEven, abcComputedAB, abcComputedBC, abcComputedPoint
    // Chart titles, series and notes.
    case nounEmptyCell, nounValue, nounBin, nounPoint, nounBar, nounSegment, nounInput
    case chartBarTitle, chartSummed, chartFirstBars, chartEmptyCells, chartCount, chartHistTitle, chartOverflow, chartEmptyRows
    case chartLineTitle, chartCutoff, chartParetoTitle, chartCustomers, chartRevenue, chartRfmTitle
    case chartTornadoBars, chartTornadoLeftOut, chartTornadoTitle, chartHeatShading, chartHeatRange
}
