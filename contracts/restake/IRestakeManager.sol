// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The part of Renzo's RestakeManager the vault uses: deposit collateral, ezETH is minted to the caller.
interface IRestakeManager {
    function deposit(IERC20 collateralToken, uint256 amount) external;
}
