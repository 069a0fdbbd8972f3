// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IRestakeManager} from "./IRestakeManager.sol";
import {EzETH} from "./EzETH.sol";

/// @notice Local Renzo-style restake manager for tests and the devnet: takes collateral and mints ezETH to the
///         depositor at an owner-set rate (ezETH per normalised collateral unit, 1e18 = 1:1). It does not restake
///         into EigenLayer; it only models the token flow the vault depends on.
contract LocalRestakeManager is IRestakeManager, Ownable {
    using SafeERC20 for IERC20;

    EzETH public immutable ezETH;
    mapping(address collateral => uint256 rate) public rateOf;

    event CollateralSet(address indexed collateral, uint256 rate);
    event RestakeDeposited(address indexed depositor, address indexed collateral, uint256 amount, uint256 minted);

    error UnsupportedCollateral(address collateral);
    error ZeroAmount();

    constructor(address owner_, EzETH ezETH_) Ownable(owner_) {
        ezETH = ezETH_;
    }

    /// @notice Accept `collateral` at `rate` ezETH per normalised unit (1e18 = 1:1); rate 0 disables it.
    function setCollateral(address collateral, uint256 rate) external onlyOwner {
        rateOf[collateral] = rate;
        emit CollateralSet(collateral, rate);
    }

    function deposit(IERC20 collateralToken, uint256 amount) external {
        uint256 rate = rateOf[address(collateralToken)];
        if (rate == 0) revert UnsupportedCollateral(address(collateralToken));
        if (amount == 0) revert ZeroAmount();
        collateralToken.safeTransferFrom(msg.sender, address(this), amount);
        uint8 dec = IERC20Metadata(address(collateralToken)).decimals();
        uint256 normalised = dec <= 18 ? amount * 10 ** (18 - dec) : amount / 10 ** (dec - 18);
        uint256 minted = (normalised * rate) / 1e18;
        if (minted == 0) revert ZeroAmount();
        ezETH.mint(msg.sender, minted);
        emit RestakeDeposited(msg.sender, address(collateralToken), amount, minted);
    }
}
