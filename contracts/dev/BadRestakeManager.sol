// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IRestakeManager} from "../restake/IRestakeManager.sol";

/// @notice TEST ONLY: a misbehaving restake manager. Mode 0 pulls nothing; mode 1 pulls the collateral but
///         mints nothing. The vault must refuse both.
contract BadRestakeManager is IRestakeManager {
    uint8 public immutable mode;

    constructor(uint8 mode_) {
        mode = mode_;
    }

    function deposit(IERC20 collateralToken, uint256 amount) external {
        if (mode == 1) collateralToken.transferFrom(msg.sender, address(this), amount);
    }
}
