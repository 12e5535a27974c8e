// Learning's random numbers are RandomNumbers' (SplitMix64, Xoshiro256StarStar): re-exported so
// every module that imports Learning draws from the one source without a second import.
@_exported import RandomNumbers
