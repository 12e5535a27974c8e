import MotorModel

/// Motor parameters with round numbers, so reference values can be computed by hand.
let handMotor = MotorParameters(
    supplyVoltageV: 12, resistanceOhm: 6, torqueConstantNmPerA: 0.02, backEmfVsPerRad: 0.02,
    gearRatio: 10, currentLimitA: 1.5, lagTimeConstantS: 0.01, bias: 0.05, deadzone: 0.1,
    gearGainPositive: 1.0, gearGainNegative: 0.8,
    friction: FrictionParameters(coulombNm: 0.01, staticNm: 0.02, stribeckVelocityRadPerS: 0.5,
                                 smoothingVelocityRadPerS: 0.05, viscousNmsPerRad: 0.001))
