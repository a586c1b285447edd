// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Devnet stand-in for Arbitrum's ArbGasInfo precompile (0x…6C), placed with
/// anvil_setCode. Storage slot 0 holds the L1 base fee estimate (wei), set with
/// anvil_setStorageAt; the prices follow the documented relations (a calldata unit is 16 per byte).
contract MockArbGasInfo {
    uint256 internal l1BaseFee;

    function getL1BaseFeeEstimate() external view returns (uint256) {
        return l1BaseFee;
    }

    function getMinimumGasPrice() external pure returns (uint256) {
        return 10_000_000; // 0.01 gwei, the devnet's base fee floor
    }

    /// @return perL2Tx, perL1CalldataUnit, perStorageAllocation, perArbGasBase, perArbGasCongestion, perArbGasTotal
    function getPricesInWei() external view returns (uint256, uint256, uint256, uint256, uint256, uint256) {
        return (0, l1BaseFee * 16, 0, block.basefee, 0, block.basefee);
    }
}
