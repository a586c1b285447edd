// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Test-only attacker: calls an executor's swap callbacks directly, as a malicious or
/// impersonating pool would, asking to be paid `amount` of whatever it names.
contract FakePool {
    function forgeV3(address executor, int256 amount0Delta, int256 amount1Delta) external {
        IExecutorCallbacks(executor).uniswapV3SwapCallback(amount0Delta, amount1Delta, "");
    }

    function forgeAlgebra(address executor, int256 amount0Delta, int256 amount1Delta) external {
        IExecutorCallbacks(executor).algebraSwapCallback(amount0Delta, amount1Delta, "");
    }

    function forgeV2(address executor, address sender, uint256 amount0, uint256 amount1) external {
        IExecutorCallbacks(executor).uniswapV2Call(sender, amount0, amount1, hex"01");
    }
}

interface IExecutorCallbacks {
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external;
    function algebraSwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external;
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}
